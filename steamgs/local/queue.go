package local

import "github.com/steamgs/steamgs/steamgs"

// entryKind says what a queued entry does when it is delivered.
type entryKind uint8

const (
	// entCallback delivers cb as it is.
	entCallback entryKind = iota
	// entAttempt is a log-on attempt of generation gen: it connects, fails,
	// or fails and schedules the next retry.
	entAttempt
	// entDisconnect delivers ServerDisconnected{Result(resp)}.
	entDisconnect
	// entVerdict delivers ValidateAuthTicketResponse{user, resp} to the
	// session gen of user.
	entVerdict
	// entApprove delivers ClientApproved to the player gen of user.
	entApprove
	// entKick delivers ClientKick{user, DenyReason(resp)} to the player gen.
	entKick
)

// entry is one queued callback, due at a time. Verdicts carry their fields
// instead of a boxed Callback so that queueing one allocates nothing.
type entry struct {
	due  int64  // Unix ns
	seq  uint64 // order among entries due at the same time
	gen  uint64
	user steamgs.SteamID
	cb   steamgs.Callback
	resp int32
	kind entryKind
	// sub orders entries of one due time and sequence number.
	sub uint8
}

// queue is a min-heap of entries by (due, seq, sub).
type queue struct {
	h    []entry
	next uint64 // seq of the next entry
}

// less reports whether entry i comes before entry j.
func (q *queue) less(i, j int) bool {
	a, b := &q.h[i], &q.h[j]
	if a.due != b.due {
		return a.due < b.due
	}
	return a.seq < b.seq || a.seq == b.seq && a.sub < b.sub
}

// push adds e with a fresh sequence number.
func (q *queue) push(e entry) {
	e.seq = q.next
	q.next++
	q.pushSeq(e)
}

// pushSeq adds e keeping its sequence number.
func (q *queue) pushSeq(e entry) {
	q.h = append(q.h, e)
	for i := len(q.h) - 1; i > 0; {
		p := (i - 1) / 2
		if !q.less(i, p) {
			break
		}
		q.h[i], q.h[p] = q.h[p], q.h[i]
		i = p
	}
}

// due reports whether the first entry is due at now and older than limit.
func (q *queue) due(now int64, limit uint64) bool {
	return len(q.h) > 0 && q.h[0].due <= now && q.h[0].seq < limit
}

// pop removes and returns the first entry; the queue is not empty.
func (q *queue) pop() entry {
	e := q.h[0]
	last := len(q.h) - 1
	q.h[0] = q.h[last]
	q.h[last] = entry{}
	q.h = q.h[:last]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < last && q.less(l, m) {
			m = l
		}
		if r := l + 1; r < last && q.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		q.h[i], q.h[m] = q.h[m], q.h[i]
		i = m
	}
	return e
}

// reset drops every entry.
func (q *queue) reset() {
	clear(q.h)
	q.h = q.h[:0]
}
