"""The actions of the template-mode fixture service, one protocol rule each."""

import hashlib
import os
import time

from flask import abort, request

from service import Redirect, SendFile, SetSession, Status, action, echo, session_values

# Folder of the media files; service.py sets it from its --media option.
MEDIA = ""

USER_PROPS = ["pk", "username", "ebuio_member", "ebuio_admin"]


def empty(**_):
    return {}


def page(route, template="home.html", **options):
    """Declare an action returning {}, named after its route."""
    function = lambda **_: {}  # noqa: E731
    function.__name__ = "page_" + (route.strip("/").replace("/", "_") or "home")
    return action(route, template, **options)(function)


@action("/", "home.html")
def home():
    return {"home": "123"}


page("/only_logged_user", only_logged_user=True)
page("/only_member_user", only_member_user=True)
page("/only_admin_user", only_admin_user=True)
page("/only_orga_member_user", only_orga_member_user=True)
page("/only_orga_admin_user", only_orga_admin_user=True)
page("/cache", cache_time=42, cache_by_user=False)
page("/cache2", cache_time=48, cache_by_user=True)
page("/user_info", user_info=["1", "coucou", "3", "thegame"])
page("/public", public=True)
page("/address_in_networks", address_in_networks=["127.0.0.1/24"])
page("/address_in_networks_outside", address_in_networks=["255.255.255.255/32"])
page("/no_template", no_template=True)
page("/csrf_token", "csrf.html", no_template=True)
page("/get_orga", "get_orga.html", no_template=True)
page("/menu", "menu.html")
page("/include", "include.html")
page("/getuser", "getuser.html", no_template=True)
page("/json_only", "", json_only=True)


@action("/cacheTime", "echo.html", cache_time=3600, cache_by_user=False)
def cache_time():
    return echo(time.time())


@action("/cacheTime2", "echo.html", cache_time=3600, cache_by_user=True)
def cache_time2():
    return echo(time.time())


@action("/user_pk", "echo.html", user_info=["pk"])
def user_pk():
    return echo(request.values.get("ebuio_u_pk"))


@action("/user_props", "echo.html", methods=("GET", "POST"), user_info=USER_PROPS, no_template=True)
def user_props():
    return echo("|".join(request.values.get("ebuio_u_" + name, "None") for name in USER_PROPS))


@action("/generate_500", "home.html")
def generate_500():
    abort(500)


@action("/xml_only", "", xml_only=True)
def xml_only():
    return {"xml": "<a></a>"}


@action("/plugitredirect")
def plugitredirect():
    return Redirect("/redire_ect")


@action("/plugitredirect2")
def plugitredirect2():
    return Redirect("/redire_ec2t", no_prefix=True)


@action("/external_plugitredirect")
def external_plugitredirect():
    return Redirect("redirected")


@action("/external_plugitredirect2")
def external_plugitredirect2():
    return Redirect("/plugIt/redirected", no_prefix=True)


@action("/redirected", "echo.html", no_template=True)
def redirected():
    return echo("redirected")


@action("/plugitsendfile")
def plugitsendfile():
    return SendFile(os.path.join(MEDIA, "testfile2"), "text/x-fixture")


@action("/plugitsendfile2")
def plugitsendfile2():
    return SendFile(os.path.join(MEDIA, "testfile2"), "text/x-fixture", "41-file-name")


@action("/plugitsetsession")
def plugitsetsession():
    return SetSession({"b": "2"}, {"a": "1"})


@action("/plugitsetsession_set_time", "echo.html", no_template=True)
def plugitsetsession_set_time():
    t = repr(time.time())
    return SetSession(echo(t), {"t": t})


@action("/plugitsetsession_get_time", "echo.html", no_template=True)
def plugitsetsession_get_time():
    return echo(session_values().get("t"))


@action("/postonly", "home.html", methods=("POST",))
def postonly():
    if request.form.get("1") != "9":
        return None
    return {"result": "ok"}


@action("/sendfile_external", "echo.html", methods=("POST",), no_template=True)
def sendfile_external():
    if "testfile2" not in request.files:
        return Status(400)
    text = request.files["testfile2"].read().decode("utf-8", "replace").strip()
    return echo("ok" if text == "This is test file 2 !" else "err")


@action("/upload_digest", "echo.html", methods=("POST",), no_template=True)
def upload_digest():
    if "f" not in request.files:
        return Status(400)
    data = request.files["f"].read()
    return echo("%d %s" % (len(data), hashlib.sha256(data).hexdigest()))


@action("/params", "echo.html", methods=("GET", "POST"), no_template=True)
def params():
    values = {}
    for source in (request.args, request.form):
        for key in source:
            values.setdefault(key, []).extend(source.getlist(key))
    return echo(";".join("%s=%s" % (k, ",".join(values[k])) for k in sorted(values)))


@action("/remote_addr", "echo.html")
def remote_addr():
    return echo(request.headers.get("X-Plugit-Remote-Addr"))


@action("/headers", "echo.html", no_template=True)
def headers():
    values = {}
    for name, value in request.headers.items():
        key = name.lower().replace("_", "-")
        if key.startswith("x-plugit"):
            values.setdefault(key, []).append(value)
    return echo(";".join("%s=%s" % (k, ",".join(values[k])) for k in sorted(values)))


def status_action(code):
    function = lambda **_: Status(code)  # noqa: E731
    function.__name__ = "generate_%d" % code
    return action("/generate_%d" % code, "echo.html")(function)


for _code in (304, 401, 403, 404, 429):
    status_action(_code)


@action("/etag", "echo.html", send_etag=True)
def etag():
    return {"_plugit_etag": "this-is-an-etag", "echo": "42"}


@action("/if_none_match", "echo.html")
def if_none_match():
    return echo(request.headers.get("X-Plugit-If-None-Match"))


@action("/crossdomain", "echo.html", crossdomain="test")
def crossdomain():
    return echo(request.headers.get("X-Plugit-Origin"))


@action("/slow", "echo.html", no_template=True)
def slow():
    try:
        ms = int(request.args.get("ms", "0"))
    except ValueError:
        ms = 0
    time.sleep(min(max(ms, 0), 60000) / 1000.0)
    return echo("slow")


@action("/show/<int:id>", "echo.html", no_template=True)
def show(id):
    return echo(id)
