package callback

import "github.com/avisera/avisera"

// Avisera delivery statuses (DESIGN §5), one state machine for email and SMS:
// the avisera.Status* values, under the names the parsers use.
const (
	Queued         = avisera.StatusQueued         // waiting in Avisera's queue
	Sending        = avisera.StatusSending        // being handed to the SMTP server or SMS provider
	Sent           = avisera.StatusSent           // accepted by the provider or the next hop
	Delivered      = avisera.StatusDelivered      // evidence that it reached the recipient
	Opened         = avisera.StatusOpened         // the recipient opened or read it
	Clicked        = avisera.StatusClicked        // the recipient followed a link
	Downloaded     = avisera.StatusDownloaded     // the recipient downloaded an attached report
	Deferred       = avisera.StatusDeferred       // temporary failure; will be retried
	Bounced        = avisera.StatusBounced        // the recipient's server refused it for good
	Rejected       = avisera.StatusRejected       // refused by policy: blocked, filtered, opted out
	InvalidAddress = avisera.StatusInvalidAddress // the address cannot exist
	Failed         = avisera.StatusFailed         // could not be delivered, for another reason
	Expired        = avisera.StatusExpired        // gave up after retrying
	Suppressed     = avisera.StatusSuppressed     // never sent: no address, validity ended …
)

// Ranks. Deferred sits beside Sending: a retry goes back to sending. Clicked
// and Downloaded share a rank, so whichever comes first stays. Every final
// status shares the top rank.
const (
	rankNone = iota
	rankQueued
	rankSending
	rankSent
	rankDelivered
	rankOpened
	rankEngaged
	rankFinal
)

var ranks = map[string]int{
	Queued: rankQueued, Sending: rankSending, Deferred: rankSending, Sent: rankSent,
	Delivered: rankDelivered, Opened: rankOpened, Clicked: rankEngaged, Downloaded: rankEngaged,
	Bounced: rankFinal, Rejected: rankFinal, InvalidAddress: rankFinal, Failed: rankFinal,
	Expired: rankFinal, Suppressed: rankFinal,
}

// Rank returns status's place in the order queued < sending (= deferred) <
// sent < delivered < opened < clicked (= downloaded) < the final failures
// and suppressed; 0 for an unknown status.
func Rank(status string) int { return ranks[status] }

// Advances reports whether a delivery in status current moves to next. The
// rules, so that late, repeated and out-of-order callbacks are harmless:
//
//   - an unknown or empty next (record-only events) and a repeat of current
//     change nothing; an empty or unknown current is "no status yet";
//   - final statuses (bounced, rejected, invalid_address, failed, expired,
//     suppressed) never change;
//   - a failure applies up to and including delivered, because mail servers
//     accept and then bounce, but not once the recipient has opened, clicked
//     or downloaded: that is proof the message arrived;
//   - deferred applies only before delivered (a temporary failure of an
//     attempt), and from deferred a new attempt moves on to sending or
//     beyond, never back to queued;
//   - otherwise the status moves only forward in Rank, so a late "sent"
//     after "delivered", or "downloaded" after "clicked", is history only.
func Advances(current, next string) bool {
	c, n := Rank(current), Rank(next)
	switch {
	case n == rankNone || current == next:
		return false
	case c == rankNone:
		return true
	case c == rankFinal:
		return false
	case n == rankFinal:
		return c <= rankDelivered
	case next == Deferred:
		return c < rankDelivered
	case current == Deferred:
		return n >= rankSending
	}
	return n > c
}
