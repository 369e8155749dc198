"""Serializer fields shared by the API."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.fields import empty


class FormBooleanField(serializers.BooleanField):
    """A boolean read the same from JSON and from multipart/form-data.

    DRF reads a boolean missing from an HTML form as ``False`` (an unticked checkbox sends nothing), so a multipart
    declaration without ``class_passed`` was stored as *not passed* while the same JSON kept the default, *passed*.
    An API client leaves out what it does not mean to set: missing is missing, in either encoding.
    """

    default_empty_html = empty


class FormSafeModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose model booleans are :class:`FormBooleanField`."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        **{
            model_field: FormBooleanField
            for model_field, field in serializers.ModelSerializer.serializer_field_mapping.items()
            if field is serializers.BooleanField
        },
    }
