package engine

import "testing"

func TestRedact(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"550 5.1.1 <nobody@kund.se>: mailbox unavailable":                    "550 5.1.1 <…@kund.se>: mailbox unavailable",
		`46elks: 403 invalid to number "+46701234567": want E.164`:           `46elks: 403 invalid to number "…": want E.164`,
		"twilio: 400 (21211) The 'To' number +46 70 123 45 67 is not valid.": "twilio: 400 (21211) The 'To' number … is not valid.",
		"recipient (nobody@kund.se) refused, to=bo@kund.se":                  "recipient (…@kund.se) refused, to=…@kund.se",
		"421 4.7.0 try again later":                                          "421 4.7.0 try again later",
		"dial tcp 127.0.0.1:2525: connect: connection refused":               "dial tcp 127.0.0.1:2525: connect: connection refused",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
