package steamworks

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// Small assertion helpers with the standard library alone (the module's
// go.sum does not carry testify's own dependencies). Arguments go in the
// order want, got.

func msgOf(msg []any) string {
	if len(msg) == 0 {
		return ""
	}
	if f, ok := msg[0].(string); ok {
		return fmt.Sprintf(f, msg[1:]...) + ": "
	}
	return fmt.Sprint(msg...) + ": "
}

// eq reports whether got deeply equals want and marks the test failed if not.
func eq(t testing.TB, want, got any, msg ...any) bool {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Errorf("%snot equal\n want: %#v\n  got: %#v", msgOf(msg), want, got)
		return false
	}
	return true
}

// mustEq is eq that stops the test.
func mustEq(t testing.TB, want, got any, msg ...any) {
	t.Helper()
	if !eq(t, want, got, msg...) {
		t.FailNow()
	}
}

// noErr stops the test when err is not nil.
func noErr(t testing.TB, err error, msg ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%sunexpected error: %v", msgOf(msg), err)
	}
}

// isErr checks that err matches target with errors.Is and, when parts are
// given, that its message holds each of them.
func isErr(t testing.TB, err, target error, parts ...string) bool {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("error %v does not match %v", err, target)
		return false
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not say %q", err, p)
			return false
		}
	}
	return true
}

// check marks the test failed with msg when ok is false.
func check(t testing.TB, ok bool, msg ...any) bool {
	t.Helper()
	if !ok {
		t.Errorf("%scheck failed", msgOf(msg))
	}
	return ok
}

// must stops the test with msg when ok is false.
func must(t testing.TB, ok bool, msg ...any) {
	t.Helper()
	if !ok {
		t.Fatalf("%scheck failed", msgOf(msg))
	}
}
