package sms

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxAnswer bounds how much of a provider's answer is read.
const maxAnswer = 1 << 20

// errorParser extracts the provider's error code and message from the body
// of a non-2xx answer.
type errorParser func(body []byte) (code, msg string)

// endpoint is what every provider shares: a name, a client and a way to
// read the provider's error bodies.
type endpoint struct {
	name     string
	client   *http.Client
	parseErr errorParser
}

// answer is a provider's JSON answer to an accepted message.
type answer interface {
	id() string // the provider's message id; empty means unusable
}

// postForm posts form to target with basic auth and decodes a 2xx answer
// into a.
func (ep endpoint) postForm(ctx context.Context, target, user, password string, form url.Values, a answer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return invalid(ep.name, "bad request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(user, password)
	return ep.do(req, a)
}

// do sends req and decodes a 2xx answer into a. Anything else is a
// *SendError.
func (ep endpoint) do(req *http.Request, a answer) error {
	req.Header.Set("Accept", "application/json")
	resp, err := ep.client.Do(req)
	if err != nil {
		return transportError(ep.name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		code, msg := ep.parseErr(body)
		return statusError(ep.name, resp, code, shorten(msg))
	}
	if err == nil {
		err = json.Unmarshal(body, a)
	}
	if err == nil && a.id() == "" {
		err = errors.New("no message id")
	}
	if err != nil {
		return unreadable(ep.name, resp.StatusCode, err)
	}
	return nil
}

// unreadable is the error of a 2xx answer we cannot understand. It is
// permanent: the provider has probably accepted the message, and a retry
// would send it twice.
func unreadable(provider string, status int, err error) *SendError {
	return &SendError{Provider: provider, Status: status, Message: "unreadable answer: " + err.Error(), Err: err}
}

// orCount returns the provider's part count, or our own when it gave none.
func orCount(reported int, text string) int {
	if reported > 0 {
		return reported
	}
	return Segments(text)
}
