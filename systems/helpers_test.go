package systems_test

import (
	"errors"
	"reflect"
	"testing"
)

// eq fails the test when got and want differ.
func eq[T any](t *testing.T, got, want T, what string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %#v\n want %#v", what, got, want)
	}
}

// none fails the test when s is not empty.
func none[T any](t *testing.T, s []T, what string) {
	t.Helper()
	if len(s) != 0 {
		t.Errorf("%s: got %v, want none", what, s)
	}
}

// must stops the test when ok is false.
func must(t *testing.T, ok bool, what string) {
	t.Helper()
	if !ok {
		t.Fatalf("%s", what)
	}
}

// check fails the test when ok is false.
func check(t *testing.T, ok bool, what string) {
	t.Helper()
	if !ok {
		t.Errorf("%s", what)
	}
}

// isErr fails the test when err does not match target.
func isErr(t *testing.T, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error %v does not match %v", what, err, target)
	}
}

// noErr stops the test on an error.
func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
