from django import forms

from survey.models import Biker


class BikerForm(forms.ModelForm):
    class Meta:
        model = Biker
        fields = ['name']
