from django.shortcuts import redirect, render_to_response
from django.template.context_processors import csrf
from django.views.generic import TemplateView


def edit_member(request, pk):
    if request.POST.get("cancel"):
        return redirect("member-list")
    context = {"pk": pk}
    context.update(csrf(request))
    return render_to_response("members/edit.html", context)


def handle_change(request, edit_mode, member):
    args = {"edit_mode": edit_mode, "member": member}
    return render_to_response("members/change.html", args)


def about(request):
    return render_to_response("members/about.html")


def report_body(rows):
    return render_to_response("members/report.html", {"rows": rows})


class ListView(TemplateView):
    template_name = "members/list.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context)
