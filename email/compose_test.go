package email

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// The Sender's own composer writes byte for byte what go-mail writes for
// the same message, but for the Date (a second may pass between the two)
// and the random multipart boundary.
func TestComposeAsGoMail(t *testing.T) {
	s, err := NewSender(Config{Host: "localhost", From: testFrom, MessageIDDomain: "avisera.example"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range composeCases() {
		for _, eightBit := range []bool{true, false} {
			name := fmt.Sprintf("%d/8bit=%v", i, eightBit)
			id, err := s.messageID(m)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var want, got bytes.Buffer
			wantErr := s.composeWithGoMail(&want, m, id, eightBit)
			env, sent8, gotErr := s.compose(&got, m, id, eightBit)
			if (wantErr != nil) != (gotErr != nil) {
				t.Errorf("%s: go-mail's error %v, compose's %v", name, wantErr, gotErr)
				continue
			}
			if wantErr != nil {
				continue
			}
			if w, g := comparable(want.String()), comparable(got.String()); w != g {
				t.Errorf("%s: compose wrote\n%s\ngo-mail\n%s", name, g, w)
			}
			if want8 := eightBit && strings.Contains(want.String(), "8bit"); sent8 != want8 {
				t.Errorf("%s: sent8 = %v, want %v", name, sent8, want8)
			}
			msg, _, _ := s.build(m, id, eightBit)
			from, _ := msg.GetSender(false)
			rcpts, _ := msg.GetRecipients()
			if want := (envelope{from, rcpts[0]}); env != want || len(rcpts) != 1 {
				t.Errorf("%s: envelope %+v, go-mail's %+v (of %d recipients)", name, env, want, len(rcpts))
			}
		}
	}
}

var (
	dateLine      = regexp.MustCompile(`(?m)^Date: .*\r$`)
	boundaryParam = regexp.MustCompile(`boundary=([0-9a-f]+)`)
)

// comparable is a composed message with its Date and boundary replaced.
func comparable(msg string) string {
	msg = dateLine.ReplaceAllString(msg, "Date: (date)\r")
	if b := boundaryParam.FindStringSubmatch(msg); b != nil {
		msg = strings.ReplaceAll(msg, b[1], "(boundary)")
	}
	return msg
}

// composeCases are messages that exercise encoding and folding: long and
// non-ASCII subjects, names and header values; bodies that cannot go 8bit;
// each kind of body; invalid headers and addresses.
func composeCases() []*Message {
	base := func() *Message {
		return &Message{To: "kund@example.com", ToName: "Åsa Öberg", Subject: "Arbetspass startat",
			Text: "Hej Åsa!\n\nArbetspasset har startat.\n", HTML: "<p>Hej <b>Åsa</b>!</p>\n",
			Headers: map[string]string{"X-Avisera-Delivery": "0192-abc"}}
	}
	with := func(change func(m *Message)) *Message {
		m := base()
		change(m)
		return m
	}
	long := strings.Repeat("Arbetspasset på Storgatan 12 har startat. ", 3)
	return []*Message{
		base(),
		with(func(m *Message) { m.FromName = "Städ Norr AB" }),
		with(func(m *Message) { m.From, m.FromName = "noreply@stad.example", "Lindqvist, Anna \"Städ\"" }),
		with(func(m *Message) { m.ToName = "" }),
		with(func(m *Message) { m.To = `"anna lind"@example.com` }),
		with(func(m *Message) { m.ToName = "Lindqvist, Anna" }),
		with(func(m *Message) { m.ToName = strings.Repeat("Åsa-Britt Öberg-Lindqvist ", 4) }),
		with(func(m *Message) { m.Subject = "" }),
		with(func(m *Message) { m.Subject = long }),
		with(func(m *Message) { m.Subject = "Order " + strings.Repeat("x", 120) + " utförd" }),
		with(func(m *Message) { m.Subject = strings.Repeat("ASCII words only and many of them ", 5) }),
		with(func(m *Message) { m.Subject = "Rad ett\r\nRad två =?UTF-8?q?nej?= slut" }),
		with(func(m *Message) { m.Subject = "Tabb\tоch кириллица 日本語 😀" }),
		with(func(m *Message) {
			m.Headers["List-Unsubscribe"] = "<https://avisera.example/u/" + strings.Repeat("a1", 50) + ">"
		}),
		with(func(m *Message) { m.Headers["X-Ärende"] = "x" }),
		with(func(m *Message) { m.Headers["X-Kommentar"] = "Fönsterputs ej utförd, stege saknades " + long }),
		with(func(m *Message) { m.Headers["Auto-Submitted"] = "no" }),
		with(func(m *Message) { m.Headers["x-lower-case"] = "last" }),
		with(func(m *Message) { m.Headers["Bcc"] = "smuggled@example.com" }),
		with(func(m *Message) { m.Headers["Bad Name"] = "x" }),
		with(func(m *Message) { m.To = "not an address" }),
		with(func(m *Message) { m.HTML = "" }),
		with(func(m *Message) { m.Text = "" }),
		with(func(m *Message) { m.Text, m.HTML = "", "" }),
		with(func(m *Message) { m.Text = "Lång rad: " + strings.Repeat("å", 600) + "\nslut" }),
		with(func(m *Message) { m.Text = "CR\rinne\r\nCRLF" }),
		with(func(m *Message) { m.Text = "NUL\x00inne" }),
		with(func(m *Message) { m.Text = "Blanksteg sist   \n.punkt först\nFrom rad\n=lika med\nutan radslut" }),
		with(func(m *Message) { m.HTML = strings.Repeat("<p>"+long+"</p>", 30) }),
	}
}
