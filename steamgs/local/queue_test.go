package local

import (
	"math/rand/v2"
	"testing"
)

// TestQueueOrder pushes entries in random order and checks that they come
// out by due time, then sequence number, then sub.
func TestQueueOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var q queue
	for round := range 20 {
		n := r.IntN(200)
		for range n {
			e := entry{due: r.Int64N(50), sub: uint8(r.IntN(2))}
			if r.IntN(3) == 0 && q.next > 0 {
				e.seq = r.Uint64N(q.next)
				q.pushSeq(e)
			} else {
				q.push(e)
			}
		}
		var prev *entry
		for i := range n {
			if !q.due(1<<62, 1<<63) {
				t.Fatalf("round %d: queue empty after %d of %d", round, i, n)
			}
			e := q.pop()
			if prev != nil && (e.due < prev.due || e.due == prev.due && (e.seq < prev.seq || e.seq == prev.seq && e.sub < prev.sub)) {
				t.Fatalf("round %d: %+v came after %+v", round, e, *prev)
			}
			prev = &e
		}
		if q.due(1<<62, 1<<63) {
			t.Fatalf("round %d: entries left", round)
		}
	}
	q.push(entry{due: 5})
	if q.due(4, q.next) || !q.due(5, q.next) || q.due(5, q.next-1) {
		t.Fatal("due ignores the time or the sequence limit")
	}
	q.reset()
	if q.due(5, q.next) {
		t.Fatal("reset left an entry")
	}
}
