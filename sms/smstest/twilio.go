package smstest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// twilioErrorURL is where Twilio documents its error codes.
const twilioErrorURL = "https://www.twilio.com/docs/errors/"

// Twilio is a fake Twilio Messages API. Point sms.Config.BaseURL at URL and
// use AccountSid and AuthToken as the credentials.
type Twilio struct {
	*httptest.Server
	AccountSid string // the account SID the fake accepts
	AuthToken  string // the auth token the fake accepts and signs callbacks with
	recorder
}

// NewTwilio starts a fake Twilio API that is closed when the test ends.
func NewTwilio(t testing.TB) *Twilio {
	tw := &Twilio{
		AccountSid: "AC0123456789abcdef0123456789abcdef",
		AuthToken:  "0123456789abcdef0123456789abcdef",
		recorder:   newRecorder(),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{sid}/Messages.json", tw.serve)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		twilioError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
	})
	tw.Server = httptest.NewServer(mux)
	t.Cleanup(tw.Close)
	return tw
}

// twilioError answers Twilio's JSON error shape.
func twilioError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{
		"code":      code,
		"message":   msg,
		"more_info": twilioErrorURL + strconv.Itoa(code),
		"status":    status,
	})
}

// serve creates a Message like Twilio: basic auth with the SID of the path,
// then the form; 201 with the Message resource.
func (tw *Twilio) serve(w http.ResponseWriter, r *http.Request) {
	u, p, ok := r.BasicAuth()
	if !ok || u != tw.AccountSid || p != tw.AuthToken || r.PathValue("sid") != tw.AccountSid {
		writeJSON(w, http.StatusUnauthorized, map[string]any{
			"code": 20003, "detail": "Your AccountSid or AuthToken was incorrect.",
			"message": "Authenticate", "more_info": twilioErrorURL + "20003", "status": 401,
		})
		return
	}
	if f, ok := tw.nextFailure(); ok {
		f.writeRetryAfter(w)
		twilioError(w, f.status, 20000+f.status, http.StatusText(f.status))
		return
	}
	s, code, msg := tw.parse(r)
	if code != 0 {
		twilioError(w, http.StatusBadRequest, code, msg)
		return
	}
	s = tw.record(s, "SM%032x")
	writeJSON(w, http.StatusCreated, tw.resource(s))
}

// parse reads and checks the form; code and msg are Twilio's error.
func (tw *Twilio) parse(r *http.Request) (s Sent, code int, msg string) {
	if err := r.ParseForm(); err != nil {
		return s, 20001, "Invalid request body"
	}
	f, err := fields(r.PostForm)
	if err != nil {
		return s, 20001, "Invalid parameter: " + err.Error()
	}
	s = Sent{Path: r.URL.Path, Fields: f, To: f["To"], From: f["From"], Text: f["Body"], CallbackURL: f["StatusCallback"]}
	switch {
	case s.To == "":
		return s, 21604, "A 'To' phone number is required."
	case !validNumber(s.To):
		return s, 21211, fmt.Sprintf("The 'To' number %s is not a valid phone number.", s.To)
	case s.From == "":
		return s, 21603, "A 'From' phone number is required."
	case !validNumber(s.From) && !textSender(s.From):
		return s, 21212, fmt.Sprintf("The 'From' number %s is not a valid phone number, shortcode, or alphanumeric sender ID.", s.From)
	case s.Text == "":
		return s, 21602, "Message body is required."
	case utf8.RuneCountInString(s.Text) > 1600:
		return s, 21617, "The concatenated message body exceeds the 1600 character limit."
	case s.CallbackURL != "" && !validCallback(s.CallbackURL):
		return s, 21609, "The StatusCallback URL " + s.CallbackURL + " is not a valid URL."
	}
	return s, 0, ""
}

// resource is the Message resource Twilio answers for a new message.
func (tw *Twilio) resource(s Sent) map[string]any {
	now := tw.Now().UTC().Format(http.TimeFormat)
	uri := "/2010-04-01/Accounts/" + tw.AccountSid + "/Messages/" + s.ID + ".json"
	return map[string]any{
		"account_sid": tw.AccountSid, "api_version": "2010-04-01",
		"body": s.Text, "date_created": now, "date_sent": nil, "date_updated": now,
		"direction": "outbound-api", "error_code": nil, "error_message": nil,
		"from": s.From, "messaging_service_sid": nil, "num_media": "0",
		"num_segments": strconv.Itoa(s.Segments), "price": nil, "price_unit": "USD",
		"sid": s.ID, "status": "queued", "to": s.To, "uri": uri,
		"subresource_uris": map[string]string{"media": strings.TrimSuffix(uri, ".json") + "/Media.json"},
	}
}

// twilioStatuses are the MessageStatus values of outbound messages.
var twilioStatuses = []string{
	"queued", "accepted", "scheduled", "sending", "sent", "delivered",
	"undelivered", "failed", "read", "canceled",
}

// Deliver posts a Twilio status callback for the message with providerID to
// its StatusCallback URL, signed with X-Twilio-Signature. It fails unless
// the callback answers 2xx.
func (tw *Twilio) Deliver(providerID, status string) error {
	return tw.DeliverError(providerID, status, "")
}

// DeliverError is Deliver with an ErrorCode, as Twilio sends for
// undelivered and failed messages (such as "30006", landline or unreachable
// carrier).
func (tw *Twilio) DeliverError(providerID, status, errorCode string) error {
	if !slices.Contains(twilioStatuses, status) {
		return fmt.Errorf("smstest: Twilio has no status %q", status)
	}
	s, err := tw.lookup(providerID)
	if err != nil {
		return err
	}
	form := url.Values{
		"AccountSid": {tw.AccountSid}, "ApiVersion": {"2010-04-01"},
		"MessageSid": {s.ID}, "SmsSid": {s.ID},
		"MessageStatus": {status}, "SmsStatus": {status},
		"From": {s.From}, "To": {s.To},
	}
	if errorCode != "" {
		form.Set("ErrorCode", errorCode)
	}
	req, err := http.NewRequest(http.MethodPost, s.CallbackURL, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", Signature(tw.AuthToken, s.CallbackURL, form))
	return post(req)
}

// Signature computes X-Twilio-Signature the way Twilio documents it: the
// full callback URL followed by every POST parameter, sorted by name, as
// name then value; HMAC-SHA1 keyed with the auth token; base64. Tests use it
// to forge or re-sign requests.
func Signature(authToken, fullURL string, form url.Values) string {
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range slices.Sorted(maps.Keys(form)) {
		for _, v := range form[k] {
			b.WriteString(k + v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
