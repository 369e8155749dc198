"""The training organisation's API, included under /api/v1/ by the project's URLs."""

from rest_framework.routers import SimpleRouter

from . import catalogue, classes, lectures, plans

router = SimpleRouter()
router.register("course-subjects", catalogue.SubjectViewSet, basename="course-subject")
router.register("courses", catalogue.CourseViewSet, basename="course")
router.register("faculty-members", catalogue.FacultyMemberViewSet, basename="faculty-member")
router.register("classes", classes.TrainingClassViewSet, basename="training-class")
router.register("unit-plans", plans.UnitPlanViewSet, basename="unit-plan")
router.register("lectures", lectures.LectureViewSet, basename="lecture")

urlpatterns = router.urls
