#!/usr/bin/env python3
"""Render the differential test corpus with Django and write golden files.

Each testdata/templates/<group>.txt holds cases:

    ### case-name
    template source, any number of lines
    --- context
    {"json": "object"}

The context part is optional. In the JSON, {"$date": "2024-01-02T03:04:05"}
becomes a naive datetime and {"$safe": "<b>x</b>"} a string marked safe.
The output for <group>.txt is golden/<group>.json, mapping each case name
to {"output": text} or, when Django raises, {"error": exception class}.

Run with Debian's python3-django (Django 3.2):
    python3 render_goldens.py [--out DIR]
"""
import argparse
import datetime
import json
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.dirname(HERE)
sys.path.insert(0, HERE)

# The fixed clock of the {% now %} tag, timesince and naturaltime; the Go
# test sets the same time on its engine.
FIXED_NOW = datetime.datetime(2024, 5, 15, 10, 30, 0)

import django  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import path  # noqa: E402

urlpatterns = [
    path('login/', lambda request: None, name='login'),
    path('logout/', lambda request: None, name='logout'),
]

settings.configure(
    DEBUG=False,
    SECRET_KEY='golden-files',
    USE_I18N=True,
    USE_L10N=True,
    USE_TZ=False,
    TIME_ZONE='UTC',
    LANGUAGE_CODE='en-us',
    STATIC_URL='/static/',
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=['django.contrib.humanize'],
    TEMPLATES=[{
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'DIRS': [os.path.join(TESTDATA, 'fs')],
        'OPTIONS': {'libraries': {'plugit_tags': 'plugit_tags'}},
    }],
)
django.setup()

from django.contrib.humanize.templatetags import humanize  # noqa: E402
from django.template import Context, Template, defaulttags  # noqa: E402
from django.utils import timesince  # noqa: E402
from django.utils.safestring import mark_safe  # noqa: E402

_real_datetime = datetime.datetime


class _FixedClockMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, _real_datetime)


class FixedDatetime(_real_datetime, metaclass=_FixedClockMeta):
    @classmethod
    def now(cls, tz=None):
        return FIXED_NOW if tz is None else FIXED_NOW.replace(tzinfo=tz)


defaulttags.datetime = FixedDatetime
humanize.datetime = FixedDatetime
timesince.datetime = types.SimpleNamespace(
    datetime=FixedDatetime, timedelta=datetime.timedelta, date=datetime.date)


def decode_hook(obj):
    if list(obj) == ['$date']:
        return _real_datetime.fromisoformat(obj['$date'])
    if list(obj) == ['$safe']:
        return mark_safe(obj['$safe'])
    return obj


def parse_cases(text):
    """Split a corpus file into (name, template, context JSON) triples."""
    cases = []
    current = None
    for line in text.splitlines(keepends=True):
        if line.startswith('### '):
            current = {'name': line[4:].strip(), 'template': [], 'context': [], 'part': 'template'}
            cases.append(current)
        elif current is None:
            continue
        elif line.rstrip('\n') == '--- context' and current['part'] == 'template':
            current['part'] = 'context'
        else:
            current[current['part']].append(line)
    result = []
    for case in cases:
        source = ''.join(case['template'])
        if source.endswith('\n'):
            source = source[:-1]
        result.append((case['name'], source, ''.join(case['context']).strip() or '{}'))
    return result


def render_case(source, context_json):
    try:
        context = json.loads(context_json, object_hook=decode_hook)
        return {'output': Template(source).render(Context(context))}
    except Exception as exc:  # Every failure is recorded as an expected error.
        return {'error': type(exc).__name__}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=os.path.join(TESTDATA, 'golden'),
                        help='directory for the golden JSON files')
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    corpus = os.path.join(TESTDATA, 'templates')
    total = 0
    for filename in sorted(os.listdir(corpus)):
        if not filename.endswith('.txt'):
            continue
        with open(os.path.join(corpus, filename), encoding='utf-8') as f:
            cases = parse_cases(f.read())
        goldens = {}
        for name, source, context_json in cases:
            if name in goldens:
                sys.exit('%s: duplicate case %r' % (filename, name))
            goldens[name] = render_case(source, context_json)
        total += len(goldens)
        out = os.path.join(args.out, filename[:-4] + '.json')
        with open(out, 'w', encoding='utf-8') as f:
            json.dump(goldens, f, indent=1, sort_keys=True, ensure_ascii=False)
            f.write('\n')
    print('rendered %d cases with Django %s' % (total, django.get_version()))


if __name__ == '__main__':
    main()
