//go:build !race

package ecs_test

// raceEnabled reports whether the race detector is on: its sync.Pool drops
// items at random, so allocation counts that rely on a pool do not hold.
const raceEnabled = false
