package render

import "github.com/avisera/avisera/sms"

// SMSInfo is the length of an SMS and what it costs to send.
type SMSInfo = sms.Info

// The encodings an SMS can be sent in.
const (
	GSM7 = sms.GSM7
	UCS2 = sms.UCS2
)

// MeasureSMS measures text as an SMS: characters, GSM-7 or UCS-2, and the
// segments it is billed as (package sms holds the GSM 03.38 tables).
func MeasureSMS(text string) SMSInfo { return sms.Measure(text) }
