package engine

import (
	"strconv"
	"strings"
	"time"

	"github.com/avisera/avisera"
)

// Quiet hours default to 21:00–07:00 local time; an org unit may set its
// own, or turn them off by setting both ends equal.
const defaultQuietFrom, defaultQuietTo = "21:00", "07:00"

// minutes reads "HH:MM" as minutes after midnight.
func minutes(hhmm string) int {
	h, m, _ := strings.Cut(hhmm, ":")
	hi, _ := strconv.Atoi(h)
	mi, _ := strconv.Atoi(m)
	return hi*60 + mi
}

// quietUntil returns when an SMS that would go out at now may be sent: the
// end of the quiet hours when now falls inside them, else the zero time.
func quietUntil(now time.Time, loc *time.Location, from, to string) time.Time {
	if from == "" && to == "" {
		from, to = defaultQuietFrom, defaultQuietTo
	}
	f, t := minutes(from), minutes(to)
	if f == t {
		return time.Time{}
	}
	local := now.In(loc)
	cur := local.Hour()*60 + local.Minute()
	inside := (f < t && cur >= f && cur < t) || (f > t && (cur >= f || cur < t))
	if !inside {
		return time.Time{}
	}
	end := time.Date(local.Year(), local.Month(), local.Day(), t/60, t%60, 0, 0, loc)
	if !end.After(local) {
		end = end.AddDate(0, 0, 1)
	}
	return end.UTC()
}

// holdForQuietHours schedules a non-urgent SMS that would go out at night
// for the morning; the follow-up report shows it as scheduled. Quiet hours
// belong to org units: an event that names none (directly or through its
// customer, contract or place) is not held. loc is sc.location().
func (sc *scene) holdForQuietHours(d *avisera.Delivery, urgent bool, now time.Time, loc *time.Location) {
	if d.Channel != avisera.ChannelSMS || urgent || d.Status != avisera.StatusQueued || sc.orgUnit == nil {
		return
	}
	until := quietUntil(now, loc, sc.orgUnit.QuietFrom, sc.orgUnit.QuietTo)
	if until.IsZero() {
		return
	}
	d.Status, d.NextAttemptAt = avisera.StatusScheduled, &until
	d.Detail = "quiet hours: sent at " + until.In(loc).Format("2006-01-02 15:04 MST") + " (" + loc.String() + ")"
}
