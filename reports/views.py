from django.http import HttpResponse


def home(request):
    return HttpResponse("")


def report_list(request):
    return HttpResponse("")


def report_detail(request, pk):
    return HttpResponse("")


def section_detail(request, pk, path):
    return HttpResponse("")
