"""The training organisation's pages, included under /training/ by the project's URLs."""

from django.urls import path

from .views import catalogue, classes, followup, lectures, official, survey_reports, surveys, unit

app_name = "courses"

urlpatterns = [
    # The training section
    path("classes/", classes.ClassListView.as_view(), name="classes"),
    path("classes/new/", classes.ClassCreateView.as_view(), name="class-create"),
    path("classes/<slug:code>/", classes.ClassDetailView.as_view(), name="class"),
    path("classes/<slug:code>/file/", classes.FileClassView.as_view(), name="class-file"),
    path("classes/<slug:code>/approve/", classes.ApproveClassView.as_view(), name="class-approve"),
    path("classes/<slug:code>/return/", classes.ReturnClassView.as_view(), name="class-return"),
    path("classes/<slug:code>/sessions/", classes.AddSessionView.as_view(), name="class-session-add"),
    path(
        "classes/<slug:code>/sessions/<int:pk>/remove/",
        classes.RemoveSessionView.as_view(),
        name="class-session-remove",
    ),  # fmt: skip
    path("classes/<slug:code>/quotas/", classes.SetQuotaView.as_view(), name="class-quota"),
    path("classes/<slug:code>/trainees/", classes.AddTraineeView.as_view(), name="class-trainee-add"),
    path(
        "classes/<slug:code>/trainees/substitute/",
        classes.SubstituteTraineeView.as_view(),
        name="class-trainee-substitute",
    ),  # fmt: skip
    path(
        "classes/<slug:code>/trainees/<int:pk>/remove/",
        classes.RemoveTraineeView.as_view(),
        name="class-trainee-remove",
    ),  # fmt: skip
    path("classes/<slug:code>/results/", classes.ResultsView.as_view(), name="class-results"),
    path("classes/<slug:code>/close/", classes.CloseClassView.as_view(), name="class-close"),
    # Follow-up of a closed class (追踪问效)
    path("classes/<slug:code>/follow-up/", followup.ClassFollowUpView.as_view(), name="class-follow-up"),
    path("classes/<slug:code>/follow-up/forums/", followup.RecordForumView.as_view(), name="class-forum"),
    path(
        "classes/<slug:code>/follow-up/settings/", followup.FollowUpSettingsView.as_view(), name="class-follow-up-set"
    ),  # fmt: skip
    path("classes/<slug:code>/follow-up/samples/", followup.DrawSampleView.as_view(), name="class-sample"),
    path(
        "classes/<slug:code>/follow-up/reviews/<int:pk>/", followup.RecordReviewView.as_view(), name="class-review"
    ),  # fmt: skip
    path("follow-up/", followup.FollowUpItemsView.as_view(), name="follow-up"),
    # Surveys and questionnaires (问卷调查)
    path("surveys/", surveys.SurveyListView.as_view(), name="surveys"),
    path("surveys/new/", surveys.SurveyCreateView.as_view(), name="survey-create"),
    path("surveys/answer/<slug:code>/", surveys.AnswerView.as_view(), name="survey-answer"),
    path("surveys/answer/<slug:code>/thanks/", surveys.ThanksView.as_view(), name="survey-thanks"),
    path("surveys/<slug:code>/", surveys.SurveyDetailView.as_view(), name="survey"),
    path("surveys/<slug:code>/results/", surveys.SurveyResultsView.as_view(), name="survey-results"),
    path("questionnaires/", surveys.QuestionnaireListView.as_view(), name="questionnaires"),
    path("questionnaires/new/", surveys.QuestionnaireCreateView.as_view(), name="questionnaire-create"),
    path("questionnaires/<slug:code>/", surveys.QuestionnaireDetailView.as_view(), name="questionnaire"),
    path("questionnaires/<slug:code>/copy/", surveys.QuestionnaireCopyView.as_view(), name="questionnaire-copy"),
    path("catalogue/", catalogue.CatalogueView.as_view(), name="catalogue"),
    path("catalogue/courses/", catalogue.CourseCreateView.as_view(), name="course-create"),
    path("catalogue/modules/", catalogue.ModuleCreateView.as_view(), name="module-create"),
    path("faculty/", catalogue.FacultyView.as_view(), name="faculty"),
    path("faculty/add/", catalogue.FacultyAddView.as_view(), name="faculty-add"),
    path("faculty/<int:pk>/end/", catalogue.FacultyEndView.as_view(), name="faculty-end"),
    path("plans/", unit.PlanBoardView.as_view(), name="plans"),
    # Lectures: everyone signed in
    path("lectures/", lectures.LectureListView.as_view(), name="lectures"),
    path("lectures/new/", lectures.LectureCreateView.as_view(), name="lecture-create"),
    path("lectures/<slug:code>/", lectures.LectureDetailView.as_view(), name="lecture"),
    path("lectures/<slug:code>/signups/", lectures.SignUpView.as_view(), name="lecture-signup"),
    path(
        "lectures/<slug:code>/signups/<int:pk>/cancel/",
        lectures.CancelSignupView.as_view(),
        name="lecture-signup-cancel",
    ),  # fmt: skip
    path("lectures/<slug:code>/checkins/", lectures.CheckInView.as_view(), name="lecture-checkin"),
    path("checkin/", lectures.CodeCheckInView.as_view(), name="checkin"),
    # The unit study administrator
    path("seats/", unit.UnitSeatsView.as_view(), name="unit-seats"),
    path("seats/<slug:code>/", unit.UnitClassSeatsView.as_view(), name="unit-class-seats"),
    path("plan/", unit.UnitPlanView.as_view(), name="unit-plan"),
    path("feedback/", followup.FeedbackView.as_view(), name="feedback"),
    # The official
    path("me/", official.MyTrainingView.as_view(), name="my-training"),
    path(
        "classes/<slug:code>/self-evaluation/", followup.SelfEvaluationView.as_view(), name="self-evaluation"
    ),  # fmt: skip
    path("classes/<slug:code>/summary/", followup.StudySummaryView.as_view(), name="study-summary"),
    # A survey's half-yearly summary: the printable page and its workbook (the training section)
    path(
        "surveys/<slug:code>/summary/<str:period>/", survey_reports.SurveySummaryView.as_view(), name="survey-summary"
    ),  # fmt: skip
    path(
        "surveys/<slug:code>/summary/<str:period>/xlsx/",
        survey_reports.SurveySummaryXlsxView.as_view(),
        name="survey-summary-xlsx",
    ),  # fmt: skip
]
