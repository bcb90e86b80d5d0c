package djtemplate

import (
	"fmt"
	"html/template"
	"os"
	"strings"
	"testing"
	"time"
)

// benchPage is a list page as PlugIt services write them: a 100-row
// table with a cycle, filters on every cell and an empty branch.
const benchPage = `{% extends "plugIt/base.html" %}{% load plugit_tags humanize %}
{% block content %}<h1>{{ title|title }}</h1>
<table>{% for r in rows %}
<tr class="{% cycle 'odd' 'even' %}"><td>{{ forloop.counter }}</td>
<td><a href="{{ base }}item/{{ r.id }}">{{ r.name|truncatechars:20 }}</a></td>
<td>{{ r.owner|default:"nobody" }}</td><td>{{ r.created|date:"d.m.Y H:i" }}</td>
<td>{{ r.amount|floatformat:2 }}</td><td>{{ r.tags|join:", " }}</td>
<td>{% if r.active %}yes{% else %}no{% endif %}</td></tr>{% empty %}
<tr><td>none</td></tr>{% endfor %}
</table>{% endblock %}`

// benchPageStd is the same page for html/template, with Go functions in
// place of the Django filters.
const benchPageStd = `<h1>{{ .Title | title }}</h1>
<table>{{ range $i, $r := .Rows }}
<tr class="{{ if even $i }}odd{{ else }}even{{ end }}"><td>{{ inc $i }}</td>
<td><a href="{{ $.Base }}item/{{ $r.ID }}">{{ truncate $r.Name 20 }}</a></td>
<td>{{ or $r.Owner "nobody" }}</td><td>{{ $r.Created.Format "02.01.2006 15:04" }}</td>
<td>{{ printf "%.2f" $r.Amount }}</td><td>{{ join $r.Tags ", " }}</td>
<td>{{ if $r.Active }}yes{{ else }}no{{ end }}</td></tr>{{ else }}
<tr><td>none</td></tr>{{ end }}
</table>`

type benchRow struct {
	ID      int
	Name    string
	Owner   string
	Created time.Time
	Amount  float64
	Tags    []string
	Active  bool
}

func benchRows() []benchRow {
	rows := make([]benchRow, 100)
	for i := range rows {
		rows[i] = benchRow{
			ID: i, Name: fmt.Sprintf("Project <%d> with a long name", i), Created: fixedNow,
			Amount: float64(i) * 10.125, Tags: []string{"radio", "tv"}, Active: i%3 == 0,
		}
		if i%2 == 0 {
			rows[i].Owner = "owner"
		}
	}

	return rows
}

func benchContext() Context {
	rows := benchRows()
	list := make([]any, len(rows))
	for i, r := range rows {
		d := NewDict()
		for _, kv := range [][2]any{{"id", r.ID}, {"name", r.Name}, {"owner", r.Owner},
			{"created", r.Created}, {"amount", r.Amount}, {"tags", []any{"radio", "tv"}}, {"active", r.Active}} {
			d.Set(kv[0].(string), kv[1])
		}
		list[i] = d
	}

	return Context{"title": "projects", "base": "/plugIt/", "rows": list}
}

func BenchmarkRenderPage(b *testing.B) {
	e := NewEngine(os.DirFS("testdata/fs"))
	tmpl, err := e.Compile("bench", []byte(benchPage))
	if err != nil {
		b.Fatal(err)
	}

	ctx := benchContext()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Render(ctx, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderPageHTMLTemplate(b *testing.B) {
	funcs := template.FuncMap{
		"title": djangoTitle,
		"even":  func(i int) bool { return i%2 == 0 },
		"inc":   func(i int) int { return i + 1 },
		"join":  strings.Join,
		"truncate": func(s string, n int) string {
			if r := []rune(s); len(r) > n {
				return string(r[:n-1]) + "…"
			}
			return s
		},
	}
	tmpl := template.Must(template.New("page").Funcs(funcs).Parse(benchPageStd))
	data := map[string]any{"Title": "projects", "Rows": benchRows(), "Base": "/plugIt/"}

	b.ReportAllocs()
	for b.Loop() {
		var out strings.Builder
		if err := tmpl.Execute(&out, data); err != nil {
			b.Fatal(err)
		}
	}
}
