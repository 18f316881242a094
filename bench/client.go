package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// apiClient calls the server's JSON API as the bench tenant, over
// keep-alive connections enough for every request in flight.
type apiClient struct {
	base string
	auth string
	http *http.Client
}

func newAPIClient(base, key string) *apiClient {
	d := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		Proxy:               nil, // loopback only, whatever the environment says
		DialContext:         d.DialContext,
		MaxIdleConns:        4096,
		MaxIdleConnsPerHost: 4096,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	return &apiClient{base: base, auth: "Bearer " + key, http: &http.Client{Transport: tr, Timeout: time.Minute}}
}

func (c *apiClient) close() { c.http.CloseIdleConnections() }

// do sends body (JSON-encoded unless it is already []byte) and decodes the
// answer into out unless the status differs from want.
func (c *apiClient) do(ctx context.Context, method, path string, body any, want int, out any) error {
	raw, ok := body.([]byte)
	if !ok && body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return err
	}
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s, want %d", method, path, res.StatusCode, bytes.TrimSpace(b), want)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s %s: decode %s: %w", method, path, b, err)
	}
	return nil
}

// setupFixtures creates, through the API, what every event reaches: an org
// unit, a customer with n notification recipients, an order message and a
// link on the customer to its contacts by email.
func setupFixtures(ctx context.Context, c *apiClient, n int) error {
	steps := []struct {
		method, path string
		body         any
		want         int
	}{
		{"PUT", "/api/v1/org-units/" + orgUnitID, map[string]any{"name": orgUnitName,
			"time_zone": "Europe/Stockholm", "language": "sv"}, http.StatusCreated},
		{"PUT", "/api/v1/customers/" + customerID, map[string]any{"name": customerName, "number": "K-1",
			"org_unit_id": orgUnitID}, http.StatusCreated},
	}
	for _, s := range steps {
		if err := c.do(ctx, s.method, s.path, s.body, s.want, nil); err != nil {
			return err
		}
	}
	for i := range n {
		var contact struct{ ID string }
		err := c.do(ctx, "POST", "/api/v1/contacts", map[string]any{"name": contactName(i),
			"emails": []string{contactEmail(i)}, "phones": []string{}}, http.StatusCreated, &contact)
		if err != nil {
			return err
		}
		err = c.do(ctx, "PUT", "/api/v1/customers/"+customerID+"/contacts/"+contact.ID,
			map[string]any{"roles": []string{"notification_recipient"}}, http.StatusOK, nil)
		if err != nil {
			return err
		}
	}
	var msg struct{ ID string }
	err := c.do(ctx, "POST", "/api/v1/messages", map[string]any{"event_type": "order", "name": "Order utförd",
		"subject": MessageSubject, "email_body": MessageBody}, http.StatusCreated, &msg)
	if err != nil {
		return err
	}
	return c.do(ctx, "POST", "/api/v1/links", map[string]any{"message_id": msg.ID, "trigger": "completed",
		"target":   map[string]any{"type": "customer", "id": customerID},
		"channels": []string{"email"}, "dynamic": []string{"customer_contacts"}}, http.StatusCreated, nil)
}

// eventBody is the JSON of the i-th event of a part.
func eventBody(id string, i int, now time.Time) ([]byte, error) {
	return json.Marshal(map[string]any{
		"id": id, "type": "order.completed", "occurred_at": now.Format(time.RFC3339Nano),
		"subject": map[string]any{"type": "order", "id": "ord-" + strconv.Itoa(i)},
		"refs":    map[string]any{"customer": customerID},
		"data":    EventData(i),
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
