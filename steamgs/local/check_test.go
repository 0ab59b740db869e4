package local_test

import (
	"fmt"
	"reflect"
	"testing"
)

// checks are the tests' assertions: assert reports a failure and lets the
// test go on, require ends the test. Each takes an optional message (a
// format and its arguments) after its operands.
type checks bool

const (
	assert  checks = false
	require checks = true
)

// fail reports a failure described by what and the optional message.
func (c checks) fail(t testing.TB, what string, msg []any) {
	t.Helper()
	if len(msg) > 0 {
		if f, ok := msg[0].(string); ok {
			what += ": " + fmt.Sprintf(f, msg[1:]...)
		} else {
			what += ": " + fmt.Sprint(msg...)
		}
	}
	if c {
		t.Fatal(what)
	}
	t.Error(what)
}

// NoError checks that err is nil.
func (c checks) NoError(t testing.TB, err error, msg ...any) {
	t.Helper()
	if err != nil {
		c.fail(t, fmt.Sprintf("unexpected error: %v", err), msg)
	}
}

// Equal checks that got deeply equals want.
func (c checks) Equal(t testing.TB, want, got any, msg ...any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		c.fail(t, fmt.Sprintf("got  %#v\nwant %#v", got, want), msg)
	}
}

// NotEqual checks that got does not deeply equal other.
func (c checks) NotEqual(t testing.TB, other, got any, msg ...any) {
	t.Helper()
	if reflect.DeepEqual(other, got) {
		c.fail(t, fmt.Sprintf("got %#v, want anything else", got), msg)
	}
}

// True checks that v is true.
func (c checks) True(t testing.TB, v bool, msg ...any) {
	t.Helper()
	if !v {
		c.fail(t, "got false, want true", msg)
	}
}

// False checks that v is false.
func (c checks) False(t testing.TB, v bool, msg ...any) {
	t.Helper()
	if v {
		c.fail(t, "got true, want false", msg)
	}
}

// Zero checks that v is its type's zero value.
func (c checks) Zero(t testing.TB, v any, msg ...any) {
	t.Helper()
	if v != nil && !reflect.ValueOf(v).IsZero() {
		c.fail(t, fmt.Sprintf("got %#v, want the zero value", v), msg)
	}
}

// NotZero checks that v is not its type's zero value.
func (c checks) NotZero(t testing.TB, v any, msg ...any) {
	t.Helper()
	if v == nil || reflect.ValueOf(v).IsZero() {
		c.fail(t, fmt.Sprintf("got %#v, want a value other than zero", v), msg)
	}
}

// length returns the length of a slice, map, string, array or channel, and
// whether v has one.
func length(v any) (int, bool) {
	if v == nil {
		return 0, true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Slice, reflect.Map, reflect.String, reflect.Array, reflect.Chan:
		return rv.Len(), true
	}
	return 0, false
}

// Len checks that v has n elements.
func (c checks) Len(t testing.TB, v any, n int, msg ...any) {
	t.Helper()
	if l, ok := length(v); !ok || l != n {
		c.fail(t, fmt.Sprintf("got %#v (length %d), want length %d", v, l, n), msg)
	}
}

// Empty checks that v has no elements (or is a zero value).
func (c checks) Empty(t testing.TB, v any, msg ...any) {
	t.Helper()
	l, ok := length(v)
	if ok && l != 0 || !ok && !reflect.ValueOf(v).IsZero() {
		c.fail(t, fmt.Sprintf("got %#v, want it empty", v), msg)
	}
}

// NotEmpty checks that v has elements (or is not a zero value).
func (c checks) NotEmpty(t testing.TB, v any, msg ...any) {
	t.Helper()
	l, ok := length(v)
	if ok && l == 0 || !ok && reflect.ValueOf(v).IsZero() {
		c.fail(t, fmt.Sprintf("got %#v, want it not empty", v), msg)
	}
}

// Contains checks that the slice list holds elem.
func (c checks) Contains(t testing.TB, list, elem any, msg ...any) {
	t.Helper()
	rv := reflect.ValueOf(list)
	if rv.Kind() == reflect.Slice {
		for i := range rv.Len() {
			if reflect.DeepEqual(rv.Index(i).Interface(), elem) {
				return
			}
		}
	}
	c.fail(t, fmt.Sprintf("%#v does not hold %#v", list, elem), msg)
}

// ElementsMatch checks that the slices want and got hold the same elements,
// in any order.
func (c checks) ElementsMatch(t testing.TB, want, got any, msg ...any) {
	t.Helper()
	w, g := reflect.ValueOf(want), reflect.ValueOf(got)
	if w.Len() != g.Len() {
		c.fail(t, fmt.Sprintf("got %#v, want the elements of %#v", got, want), msg)
		return
	}
	used := make([]bool, g.Len())
next:
	for i := range w.Len() {
		for j := range g.Len() {
			if !used[j] && reflect.DeepEqual(w.Index(i).Interface(), g.Index(j).Interface()) {
				used[j] = true
				continue next
			}
		}
		c.fail(t, fmt.Sprintf("got %#v, want the elements of %#v", got, want), msg)
		return
	}
}
