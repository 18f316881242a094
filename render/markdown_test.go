package render

import (
	"strings"
	"testing"
)

func TestPlainSource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src, want string
	}{
		{"Hej **{{ recipient.name }}**!", "Hej {{ recipient.name }}!"},
		{"__stark__ och *kursiv* och _kursiv_", "stark och kursiv och kursiv"},
		{"[Ladda ner]({{ f.url }})", "Ladda ner ({{ f.url }})"},
		{"[{{ f.name }}]({{ f.url }} \"titel\")", "{{ f.name }} ({{ f.url }})"},
		{"![Logo](https://ren.se/logo.png)", "Logo (https://ren.se/logo.png)"},
		{"Se <https://ren.se/a> och <{{ u }}>", "Se https://ren.se/a och {{ u }}"},
		{"# Rubrik\n## Order {{ order.number }} ##", "Rubrik\nOrder {{ order.number }}"},
		{"> citat\n>  mer", "citat\n mer"},
		{"`kod` och ~~struken~~", "kod och struken"},
		{`1\. inte en lista \*`, "1. inte en lista *"},
		{"<b>fet</b> <br/> <a href=\"x\">länk</a>", "fet  länk"},
		{"- punkt\n* punkt\n1. punkt", "- punkt\n* punkt\n1. punkt"},
		// Liquid markup is never touched, whatever it contains.
		{"{{ a | append: '**x**' }} {% if a == '_b_' %}*c*{% endif %}", "{{ a | append: '**x**' }} {% if a == '_b_' %}c{% endif %}"},
		{"{{ performers[0].name }}](x)", "{{ performers[0].name }}](x)"},
		{"snake_case_name och 2*3*4", "snake_case_name och 2*3*4"},
		// A NUL (the placeholder's mark) in the source cannot pose as one.
		{"\x000\x00 {{ a }} \x001\x00", "0 {{ a }} 1"},
	}
	for _, tt := range tests {
		if got := plainSource(tt.src); got != tt.want {
			t.Errorf("plainSource(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestTidyText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"a  \nb\t\n", "a\nb"},
		{"\n\na\n\n\n\nb\n\n", "a\n\nb"},
		{"a\r\nb\rc", "a\nb\nc"},
	}
	for _, tt := range tests {
		if got := tidyText(tt.in); got != tt.want {
			t.Errorf("tidyText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRenderMarkdownHTML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src      string
		want     []string
		mustLack []string
	}{
		{"# Rubrik\n\nText", []string{"<h1 style=", ">Rubrik</h1>", "<p style=\"margin:0 0 16px 0;\">Text</p>"}, nil},
		{"Rad 1\nRad 2", []string{"Rad 1<br>\nRad 2"}, nil},
		{"- a\n- b", []string{"<ul style=", "<li style=\"margin:0 0 4px 0;\">a</li>"}, nil},
		{"[länk](https://ren.se)", []string{`<a style="color:#0b5cad;text-decoration:underline;" href="https://ren.se">länk</a>`}, nil},
		{"<script>alert(1)</script>\n\n<b onclick=x>fet</b>", []string{"raw HTML omitted"}, []string{"<script", "<b "}},
		{"[x](javascript:alert(1)) [y](data:text/html,x)", nil, []string{"javascript:", "data:text"}},
		{"| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table style=", "<td style="}, nil},
	}
	for _, tt := range tests {
		out, err := Render(Content{EmailBody: tt.src}, nil, Options{})
		if err != nil {
			t.Fatalf("Render(%q) = %v", tt.src, err)
		}
		body := bodyOf(out.HTML)
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("Render(%q) HTML body = %q, want it to contain %q", tt.src, body, w)
			}
		}
		for _, bad := range tt.mustLack {
			if strings.Contains(body, bad) {
				t.Errorf("Render(%q) HTML body = %q, want no %q", tt.src, body, bad)
			}
		}
	}
}

func TestRenderLayout(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opt      Options
		want     []string
		mustLack []string
	}{
		{"defaults", Options{}, []string{`<html lang="sv">`, "Svara inte på det.", "max-width:600px", `name="viewport"`}, []string{"<img"}},
		{"english", Options{Language: "en"}, []string{`<html lang="en">`, "Please do not reply"}, nil},
		{"unknown language", Options{Language: "<x>"}, []string{`<html lang="sv">`}, []string{"<x>"}},
		{"logo", Options{LogoURL: "https://ren.se/logo.png?a=1&b=2"}, []string{`<img src="https://ren.se/logo.png?a=1&amp;b=2"`}, nil},
		{"unsafe logo", Options{LogoURL: "javascript:alert(1)"}, nil, []string{"<img", "javascript"}},
		{"quoted logo", Options{LogoURL: `https://ren.se/x" onerror="alert(1)`}, nil, []string{`" onerror`}},
		{"relative logo", Options{LogoURL: "/logo.png"}, nil, []string{"<img"}},
		{"footer", Options{FooterText: "Städbolaget Ren AB <info@ren.se>"}, []string{"Städbolaget Ren AB &lt;info@ren.se&gt;"}, []string{"Svara inte"}},
	}
	for _, tt := range tests {
		out, err := Render(Content{Subject: "Ämne", EmailBody: "Text"}, nil, tt.opt)
		if err != nil {
			t.Fatalf("%s: Render = %v", tt.name, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(out.HTML, w) {
				t.Errorf("%s: HTML lacks %q:\n%s", tt.name, w, out.HTML)
			}
		}
		for _, bad := range tt.mustLack {
			if strings.Contains(out.HTML, bad) {
				t.Errorf("%s: HTML contains %q:\n%s", tt.name, bad, out.HTML)
			}
		}
	}
}
