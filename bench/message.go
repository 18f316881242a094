package bench

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/avisera/avisera/email"
	"github.com/avisera/avisera/render"
)

// The message every part sends: an order-completed notice of ordinary size,
// with a loop, markdown and Swedish text. The event id comes first in the
// subject, so that the sink's arrivals can be matched to events. Exported
// for render's benchmark, which renders this message.
const (
	MessageSubject = "{{ event.id }} · Order {{ order.number }} utförd hos {{ customer.name }}"
	MessageBody    = `Hej {{ recipient.name }}!

Ordern **{{ order.number }}** ({{ order.name }}) hos {{ customer.name }} är utförd.

{% for a in order.activities %}- {{ a.name }}: {{ a.status }}{% if a.comment != "" %} ({{ a.comment }}){% endif %}
{% endfor %}
Kommentar från serviceutföraren: {{ order.comment }}

Händelsen inträffade {{ event.occurred_at }}.

Med vänliga hälsningar
{{ org_unit.name }}`
)

// Fixture names shared by the pipeline's master data and the raw messages.
const (
	orgUnitID    = "ou-bench"
	orgUnitName  = "Städ Norr"
	customerID   = "cust-bench"
	customerName = "Kund AB"
	mailFrom     = "avisera@localhost"
	tenantName   = "Bench"
)

// EventData is the data of the i-th posted event: the subject's variables.
func EventData(i int) map[string]any {
	return map[string]any{
		"number":  fmt.Sprintf("2026-%05d", i),
		"name":    "Kontorsstädning vecka 48",
		"comment": "Allt utfört enligt plan. Papperskorgen i konferensrum 3 är trasig.",
		"activities": []any{
			map[string]any{"name": "Dammsugning kontorsytor", "status": "Utförd", "comment": ""},
			map[string]any{"name": "Rengöring av toaletter", "status": "Utförd", "comment": ""},
			map[string]any{"name": "Fönsterputs entré", "status": "Ej utförd", "comment": "Stege saknades"},
		},
	}
}

func contactName(i int) string  { return "Kontakt " + strconv.Itoa(i+1) }
func contactEmail(i int) string { return "kontakt-" + strconv.Itoa(i+1) + "@example.com" }

// rawMessages pre-renders n messages for the raw part: the template
// rendered once as the engine would, then one header per message (the
// delivery id, Message-ID and subject differ) over one shared body, so the
// blaster sends mail of the pipeline's size without rendering anything.
type rawMessages struct {
	headers [][]byte
	body    []byte
}

// Placeholders of the same width as the values that replace them, so that
// the header's encoding and folding come out the same.
const (
	rawEventHolder    = "raw-XXXXXXX"
	rawDeliveryHolder = "00000000-0000-7000-8000-XXXXXXXXXXXX"
)

func newRawMessages(n int) (*rawMessages, error) {
	vars := map[string]any{
		"event": map[string]any{"id": rawEventHolder, "type": "order.completed", "trigger": "completed",
			"occurred_at": time.Now().Format(time.RFC3339)},
		"order":     EventData(1),
		"customer":  map[string]any{"id": customerID, "name": customerName, "number": "K-1"},
		"org_unit":  map[string]any{"id": orgUnitID, "name": orgUnitName},
		"recipient": map[string]any{"name": contactName(0), "language": "sv"},
	}
	out, err := render.Render(render.Content{Subject: MessageSubject, EmailBody: MessageBody}, vars,
		render.Options{Language: "sv"})
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	whole, err := buildMail(out)
	if err != nil {
		return nil, err
	}
	header, body, ok := bytes.Cut(whole, []byte("\r\n\r\n"))
	if !ok {
		return nil, fmt.Errorf("the message has no header end")
	}
	if !bytes.Contains(header, []byte(rawEventHolder)) || !bytes.Contains(header, []byte(rawDeliveryHolder)) {
		return nil, fmt.Errorf("the header split a placeholder:\n%s", header)
	}
	m := &rawMessages{headers: make([][]byte, n), body: body}
	header = append(header, "\r\n\r\n"...)
	for i := range n {
		h := bytes.ReplaceAll(header, []byte(rawDeliveryHolder), fmt.Appendf(nil, "00000000-0000-7000-8000-%012d", i))
		m.headers[i] = bytes.ReplaceAll(h, []byte(rawEventHolder), fmt.Appendf(nil, "raw-%07d", i))
	}
	return m, nil
}

// buildMail writes the message as the server's email.Sender does for a
// delivery (the sink takes 8-bit mail): sender named after the tenant,
// recipient, subject, Message-ID, delivery header, text and HTML.
func buildMail(out render.Output) ([]byte, error) {
	s, err := email.NewSender(email.Config{Host: "localhost", From: mailFrom}, nil)
	if err != nil {
		return nil, err
	}
	return s.Compose(&email.Message{FromName: tenantName, To: contactEmail(0), ToName: contactName(0),
		Subject: out.Subject, Text: out.Text, HTML: out.HTML, MessageID: rawDeliveryHolder + "@localhost",
		Headers: map[string]string{"X-Avisera-Delivery": rawDeliveryHolder}}, true)
}
