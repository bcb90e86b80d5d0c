"""The PlugIt template-mode fixture service, written with Flask.

It serves the protocol calls the way the original Python PlugIt service
library does: one Flask route per action for each of meta/, template/ and
action/, the meta's template_tag as the MD5 hex of the template file, an
Expire header on meta replies, reply headers for redirects, files and
session values, and the session values read from X-Plugitsession-*
headers. The conformance tests put the Go proxy in front of it and run the
proxy checks, so that the proxy is checked against a Python service.

Run:  /usr/bin/python3 service.py --port 0 --templates DIR --media DIR
It prints "listening on http://127.0.0.1:PORT/" once it accepts calls.
"""

import argparse
import hashlib
import logging
import os
import sys
import time
from datetime import datetime, timedelta

from flask import Flask, abort, jsonify, make_response, request, send_file, send_from_directory
from werkzeug.serving import make_server

# Meta cache time announced in Expire and Cache-Control: 0, as in debug mode.
META_CACHE_SECONDS = 0

# Meta keys copied from an action's options when set.
META_KEYS = (
    "only_logged_user", "only_member_user", "only_admin_user", "only_orga_member_user",
    "only_orga_admin_user", "cache_time", "cache_by_user", "user_info", "public", "json_only",
    "xml_only", "no_template", "address_in_networks",
)


class Redirect:
    """An action reply that makes the proxy redirect the browser."""

    def __init__(self, url, no_prefix=False):
        self.url = url
        self.no_prefix = no_prefix


class SendFile:
    """An action reply that the proxy sends to the browser as a file."""

    def __init__(self, path, mimetype, attachment_name=None):
        self.path = path
        self.mimetype = mimetype
        self.attachment_name = attachment_name


class SetSession:
    """An action reply with data plus session values to store."""

    def __init__(self, data, values):
        self.data = data
        self.values = values


class Status:
    """An action reply with a bare HTTP status."""

    def __init__(self, code):
        self.code = code


ACTIONS = []


def action(route, template="", methods=("GET",), **options):
    """Declare an action: its route, template, methods and meta options."""

    def register(function):
        function.plugit = {"route": route, "template": template, "methods": list(methods),
                           "options": options}
        ACTIONS.append(function)
        return function

    return register


def session_values():
    """Return the session values the proxy sent, keys lowercased."""
    values = {}
    for name, value in request.headers.items():
        if name.lower().startswith("x-plugitsession-"):
            values[name[len("x-plugitsession-"):].lower()] = value
    return values


def echo(value):
    return {"echo": value}


def md5_of(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def meta_view(function, templates):
    spec = function.plugit

    def view(**_):
        meta = {"template_tag": md5_of(os.path.join(templates, spec["template"]))
                if spec["template"] else ""}
        for key in META_KEYS:
            if key in spec["options"]:
                meta[key] = spec["options"][key]
        response = make_response(jsonify(meta))
        expire = datetime.utcnow() + timedelta(seconds=META_CACHE_SECONDS)
        response.headers["Expire"] = expire.strftime("%a, %d %b %Y %H:%M:%S GMT")
        response.headers["Cache-Control"] = "public, max-age=%d" % META_CACHE_SECONDS
        return response

    return view


def template_view(function, templates):
    spec = function.plugit

    def view(**_):
        if not spec["template"]:
            abort(404)
        return send_from_directory(templates, spec["template"])

    return view


def action_view(function):
    spec = function.plugit
    cors = spec["options"].get("crossdomain")

    def view(**kwargs):
        if cors and request.method == "OPTIONS":
            return add_cors(make_response(""), cors, spec["methods"])
        result = function(**kwargs)
        response = reply(result, spec["options"].get("send_etag"))
        return add_cors(response, cors, spec["methods"]) if cors else response

    return view


def add_cors(response, origin, methods):
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Methods"] = ", ".join(methods)
    response.headers["Access-Control-Max-Age"] = "21600"
    return response


def reply(result, send_etag):
    """Turn an action's result into the Flask response the protocol defines."""
    session = {}
    if isinstance(result, SetSession):
        session, result = result.values, result.data

    if isinstance(result, Status):
        response = make_response("", result.code)
    elif isinstance(result, Redirect):
        response = make_response("")
        response.headers["EbuIo-PlugIt-Redirect"] = result.url
        if result.no_prefix:
            response.headers["EbuIo-PlugIt-Redirect-NoPrefix"] = "True"
    elif isinstance(result, SendFile):
        response = send_file(result.path, mimetype=result.mimetype,
                             as_attachment=result.attachment_name is not None,
                             download_name=result.attachment_name)
        response.headers["EbuIo-PlugIt-ItAFile"] = "True"
    else:
        response = jsonify(result)
        if send_etag and isinstance(result, dict) and "_plugit_etag" in result:
            response.headers["ETag"] = result["_plugit_etag"]

    for key, value in session.items():
        response.headers["EbuIo-PlugIt-SetSession-" + key] = value
    return response


def create_app(templates, media):
    app = Flask(__name__)
    app.config["MEDIA"] = media

    @app.route("/ping")
    def ping():
        return jsonify(data=request.args.get("data", ""))

    @app.route("/version")
    def version():
        return jsonify(result="Ok", version="1", protocol="EBUio-PlugIt")

    @app.route("/mail", methods=["POST"])
    def mail():
        if not request.form["response_id"]:
            return jsonify(result="Error")
        app.config["LAST_MAIL_RESPONSE_ID"] = request.form["response_id"]
        return jsonify(result="Ok")

    @app.route("/media/<path:path>")
    def media_file(path):
        return send_from_directory(media, path)

    for function in ACTIONS:
        spec = function.plugit
        name = function.__name__
        app.add_url_rule("/meta" + spec["route"], "meta_" + name, meta_view(function, templates))
        app.add_url_rule("/template" + spec["route"], "template_" + name,
                         template_view(function, templates))
        # A cross-domain action handles OPTIONS itself and sends its CORS headers.
        methods = spec["methods"] + (["OPTIONS"] if "crossdomain" in spec["options"] else [])
        app.add_url_rule("/action" + spec["route"], "action_" + name, action_view(function),
                         methods=methods)
    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    script_dir = os.path.dirname(os.path.abspath(__file__))
    fixtures = os.path.join(script_dir, "..", "..", "internal", "fixtures")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1, 0 for a free one")
    parser.add_argument("--templates", default=os.path.join(fixtures, "templates"),
                        help="folder of the fixture templates")
    parser.add_argument("--media", default=os.path.join(fixtures, "media"),
                        help="folder of the fixture media files")
    parser.add_argument("--access-log", action="store_true", help="log every request")
    args = parser.parse_args()
    if not args.access_log:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)

    import fixture_actions  # noqa: F401  (declares the actions)
    fixture_actions.MEDIA = os.path.abspath(args.media)

    server = make_server("127.0.0.1", args.port, create_app(os.path.abspath(args.templates),
                                                             os.path.abspath(args.media)),
                         threaded=True)
    print("listening on http://127.0.0.1:%d/" % server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.modules.setdefault("service", sys.modules[__name__])
    main()
