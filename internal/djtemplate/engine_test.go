package djtemplate

import (
	"errors"
	"os"
	"strings"
	"testing"
)

type testHooks struct {
	engine *Engine
}

func (h testHooks) IncludeTemplate(action string) (*Template, error) {
	src, err := os.ReadFile("testdata/fs/actions/" + action + ".html")
	if err != nil {
		return nil, err
	}

	return h.engine.Compile(action, src)
}

func (h testHooks) GetUser(pk string) (map[string]any, error) {
	if pk == "missing" {
		return nil, errors.New("user not found")
	}

	return map[string]any{"pk": pk, "username": "user" + pk}, nil
}

func render(t *testing.T, src string, ctx Context) string {
	t.Helper()
	e := NewEngine(os.DirFS("testdata/fs"))
	tmpl, err := e.Compile("test", []byte(src))
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}

	out, err := tmpl.Render(ctx, testHooks{engine: e})
	if err != nil {
		t.Fatalf("Render(%q): %v", src, err)
	}

	return out
}

func TestRenderContract(t *testing.T) {
	tests := []struct {
		name, src, want string
		ctx             Context
	}{
		{"load is a no-op", `{% load plugit_tags i18n %}x`, "x", nil},
		{"csrf token", `{% csrf_token %}`, `<input type="hidden" name="csrfmiddlewaretoken" value="a&lt;b">`, Context{"csrf_token": "a<b"}},
		{"csrf without token", `[{% csrf_token %}]`, "[]", nil},
		{"url_target_blank", `{{ html|safe|url_target_blank }}`, `<a target="_blank" href="x">y</a>`, Context{"html": `<a href="x">y</a>`}},
		{"forloop", `{% for x in l %}{{ forloop.counter0 }}{{ forloop.first }}{{ forloop.last }}{{ forloop.revcounter }} {% endfor %}`,
			"0TrueFalse2 1FalseTrue1 ", Context{"l": []any{1, 2}}},
		{"autoescape", `{{ s }}`, "&lt;b&gt; &amp; &#x27;&quot;", Context{"s": `<b> & '"`}},
		{"numbers from JSON", `{{ a }} {{ b }} {{ c }} {{ d }}`, "12 1.5 True None", Context{"a": FromJSON(12.0), "b": FromJSON(1.5), "c": true, "d": nil}},
		{"list repr", `{{ l }}`, "[1, &#x27;a&#x27;, None]", Context{"l": FromJSON([]any{1.0, "a", nil})}},
		{"block super", `{% extends "plugIt/base.html" %}{% block content %}[{{ block.super }}]child{% endblock %}`, "[]child\n", nil},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(t, tt.src, tt.ctx); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenderBlocksMenubar(t *testing.T) {
	e := NewEngine(os.DirFS("testdata/fs"))
	src := `{% extends "plugIt/base.html" %}{% block title %}T{{ x }}{% endblock %}{% block menubar %}<li>{{ x }}</li>{% endblock %}{% block content %}C{% endblock %}`
	tmpl, err := e.Compile("menu", []byte(src))
	if err != nil {
		t.Fatal(err)
	}

	got, err := tmpl.RenderBlocks(Context{"x": 1}, nil, "menubar", "title", "content", "nothing")
	if err != nil {
		t.Fatal(err)
	}

	want := map[string]string{"menubar": "<li>1</li>", "title": "T1", "content": "C", "nothing": ""}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("block %q = %q, want %q", k, got[k], v)
		}
	}
}

func TestCompileErrorPosition(t *testing.T) {
	e := NewEngine(nil)
	_, err := e.Compile("svc/action", []byte("line1\n  {% frobnicate %}"))
	var te *Error
	if !errors.As(err, &te) {
		t.Fatalf("error %v is not an *Error", err)
	}

	if te.Template != "svc/action" || te.Line != 2 || te.Column != 3 || !strings.Contains(te.Error(), "frobnicate") {
		t.Errorf("error = %+v (%v)", te, te)
	}

	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("error %v does not wrap ErrUnsupported", err)
	}
}

func TestUnknownFilterError(t *testing.T) {
	_, err := NewEngine(nil).Compile("x", []byte("a\n{{ v|nosuch }}"))
	if err == nil || !strings.Contains(err.Error(), `"nosuch"`) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error = %v", err)
	}
}

func TestPlugitTags(t *testing.T) {
	got := render(t, `{% plugitGetUser "7" as u %}{{ u.username }}|{% plugitInclude "/menubar" %}`, Context{"x": "X"})
	if got != "user7|menu X\n" {
		t.Errorf("got %q", got)
	}
}

func TestHooksNilIsError(t *testing.T) {
	tmpl, err := NewEngine(nil).Compile("x", []byte(`{% plugitInclude "a" %}`))
	if err != nil {
		t.Fatal(err)
	}

	if _, err := tmpl.Render(nil, nil); err == nil {
		t.Error("Render with nil hooks succeeded")
	}
}
