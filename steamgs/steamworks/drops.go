package steamworks

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"sync"

	"github.com/steamgs/steamgs/steamgs"
)

// MaxDropIDs is how many distinct callback IDs a server counts dropped
// callbacks of one by one. Drops of further IDs are counted together under
// steamgs.CallbackDropOther, so that a flood of distinct IDs cannot grow memory.
const MaxDropIDs = 64

// dropKind says why a callback was dropped.
type dropKind uint8

const (
	dropUnknown   dropKind = iota // an ID this package does not decode
	dropMalformed                 // a known ID whose payload did not decode
)

// String returns the kind as the log shows it.
func (k dropKind) String() string {
	if k == dropUnknown {
		return "unknown"
	}
	return "malformed"
}

// dropCounts counts the callbacks a server received from libsteam_api but
// could not deliver. It is a fixed array, so counting never allocates. It
// is safe for concurrent use: RunCallbacks counts on the game's goroutine
// while a monitoring goroutine may read the counts.
type dropCounts struct {
	mu    sync.Mutex
	n     int // entries of ids in use
	ids   [MaxDropIDs]steamgs.CallbackDrop
	other steamgs.CallbackDrop // ID steamgs.CallbackDropOther
}

// add counts one drop of callback id and returns the count it belongs to
// after the increment (its ID is steamgs.CallbackDropOther when id got no count of
// its own) and whether it is the first drop of that count and kind.
func (d *dropCounts) add(id int, kind dropKind) (bucket int, first bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	e := d.entry(id)
	n := &e.Unknown
	if kind == dropMalformed {
		n = &e.Malformed
	}
	*n++
	return e.ID, *n == 1
}

// entry returns the count of id, making one when there is room.
func (d *dropCounts) entry(id int) *steamgs.CallbackDrop {
	if id < 0 {
		d.other.ID = steamgs.CallbackDropOther
		return &d.other
	}
	for i := range d.n {
		if d.ids[i].ID == id {
			return &d.ids[i]
		}
	}
	if d.n == len(d.ids) {
		d.other.ID = steamgs.CallbackDropOther
		return &d.other
	}
	d.ids[d.n] = steamgs.CallbackDrop{ID: id}
	d.n++
	return &d.ids[d.n-1]
}

// snapshot returns a copy of the counts, sorted by ID, holding only IDs
// with a count.
func (d *dropCounts) snapshot() []steamgs.CallbackDrop {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]steamgs.CallbackDrop, 0, d.n+1)
	if d.other.Unknown != 0 || d.other.Malformed != 0 {
		out = append(out, d.other)
	}
	out = append(out, d.ids[:d.n]...)
	slices.SortFunc(out, func(a, b steamgs.CallbackDrop) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

var _ steamgs.CallbackDropCounter = (*conn)(nil)

// DroppedCallbacks implements steamgs.CallbackDropCounter: it returns how
// many callbacks from libsteam_api the server could not deliver, by ID,
// since Open: callbacks of IDs this package does not decode (the real
// Steam also sends callbacks of other interfaces on the game server's
// pipe) and callbacks or call results whose payload did not decode. The
// result is sorted by ID, holds only IDs with a count and belongs to the
// caller; drops of IDs without a count of their own are reported under
// steamgs.CallbackDropOther. It may be called from any goroutine, also after Close.
func (c *conn) DroppedCallbacks() []steamgs.CallbackDrop {
	return c.drops.snapshot()
}

// drop counts a callback that is not delivered: id is the callback's ID
// (for a call result, the ID of the result) and size the size of its
// payload. The first drop of each ID and kind is logged at level WARN on
// the Library's logger; later ones are only counted.
func (c *conn) drop(id, size int) {
	kind := dropMalformed
	if !knownCallback(id) {
		kind = dropUnknown
	}
	bucket, first := c.drops.add(id, kind)
	if !first {
		return
	}
	msg := "steamworks: callback dropped; later drops of this ID and kind are counted, not logged"
	if bucket == steamgs.CallbackDropOther {
		msg = "steamworks: callback dropped; later drops of this kind of IDs without a count of their own are counted under ID -1, not logged"
	}
	c.lib.logger().LogAttrs(context.Background(), slog.LevelWarn, msg,
		slog.Int("id", id), slog.String("kind", kind.String()), slog.Int("size", size))
}
