"""The training organisation's API, included under /api/v1/ by the project's URLs."""

from rest_framework.routers import SimpleRouter

from . import catalogue, classes, followup, lectures, plans, surveys

router = SimpleRouter()
router.register("course-subjects", catalogue.SubjectViewSet, basename="course-subject")
router.register("courses", catalogue.CourseViewSet, basename="course")
router.register("faculty-members", catalogue.FacultyMemberViewSet, basename="faculty-member")
router.register("classes", classes.TrainingClassViewSet, basename="training-class")
router.register("unit-plans", plans.UnitPlanViewSet, basename="unit-plan")
router.register("lectures", lectures.LectureViewSet, basename="lecture")
router.register("questionnaires", surveys.QuestionnaireViewSet, basename="questionnaire")
router.register("surveys", surveys.SurveyViewSet, basename="survey")
# classes/{code}/evaluation/, follow-up/, self-evaluation/, study-summary/, forums/, samples/ (issue 14)
router.register("classes", followup.ClassFollowUpViewSet, basename="class-follow-up")
router.register("follow-up-reviews", followup.FollowUpReviewViewSet, basename="follow-up-review")
router.register("follow-up-items", followup.FollowUpItemViewSet, basename="follow-up-item")
router.register("training-feedback", followup.TrainingFeedbackViewSet, basename="training-feedback")

urlpatterns = router.urls
