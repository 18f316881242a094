package avisera

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a time.Duration written as text such as "15m", "2h" or "1d"
// in JSON.
type Duration time.Duration

// ParseDuration reads Go durations plus whole days ("1d", "2d12h"); a
// sign in front applies to the whole ("-1d12h" is 36 hours before).
func ParseDuration(s string) (Duration, error) {
	in := strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not a duration such as 15m, 2h or 1d", in)
	s, neg := strings.CutPrefix(in, "-")
	if !neg {
		s = strings.TrimPrefix(s, "+")
	}
	if s == "" {
		if in != "" {
			return 0, bad
		}
		return 0, nil
	}
	var days int64
	if i := strings.Index(s, "d"); i > 0 {
		n, err := strconv.ParseUint(s[:i], 10, 32)
		if err != nil {
			return 0, bad
		}
		days, s = int64(n), s[i+1:]
	}
	var d time.Duration
	if s != "" {
		var err error
		if s[0] == '-' || s[0] == '+' {
			return 0, bad // one sign, in front
		}
		if d, err = time.ParseDuration(s); err != nil {
			return 0, bad
		}
	}
	total := time.Duration(days)*24*time.Hour + d
	if neg {
		total = -total
	}
	return Duration(total), nil
}

// String writes the duration in the shortest form ParseDuration reads.
func (d Duration) String() string {
	if d == 0 {
		return "0s"
	}
	td := time.Duration(d)
	if td%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(td/(24*time.Hour)), 10) + "d"
	}
	s := td.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// MarshalJSON implements json.Marshaler.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("must be a duration such as \"15m\"")
	}
	v, err := ParseDuration(s)
	*d = v
	return err
}
