from rest_framework import mixins, viewsets

from kunshan_training.permissions import OrgStaffWrites

from ..filtersets import OfficialFilterSet, UnitFilterSet
from ..selectors import officials_visible_to, units_visible_to
from ..services import create_official, create_unit, update_official
from .serializers import OfficialSerializer, UnitSerializer


class UnitViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    permission_classes = [OrgStaffWrites]
    lookup_field = "code"

    def get_queryset(self):
        return units_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = create_unit(by=self.request.user, **serializer.validated_data)


class OfficialViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OfficialSerializer
    filterset_class = OfficialFilterSet
    permission_classes = [OrgStaffWrites]
    lookup_field = "staff_no"

    def get_queryset(self):
        return officials_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = create_official(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("staff_no", None)
        serializer.instance = update_official(by=self.request.user, official=serializer.instance, **data)
