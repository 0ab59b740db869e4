package ecs_test

import (
	"fmt"
	"testing"

	"github.com/steamgs/steamgs/ecs/ecstest"
	"github.com/stretchr/testify/assert"
	decs "github.com/yohamta/donburi/ecs"
)

// TestAddHooks: hooks run around the whole tick, in the order added, and
// AddTo leaves them out.
func TestAddHooks(t *testing.T) {
	h := ecstest.Start(t, ecstest.Options{})
	p := h.Plugin
	var order []string
	p.AddSystem(func(*decs.ECS) { order = append(order, "game") })
	assert.Same(t, p, p.AddHooks(func() { order = append(order, "before 1") }, nil))
	p.AddHooks(func() { order = append(order, "before 2") }, func() { order = append(order, "after 2") })
	ticks := p.Ticks()
	p.AddHooks(nil, func() { order = append(order, "after 3", fmt.Sprint("ticks +", p.Ticks()-ticks)) })
	h.Recorder.Reset()
	h.Step(1)
	assert.Equal(t, []string{"before 1", "before 2", "game", "after 2", "after 3", "ticks +1"}, order,
		"hooks around the systems, after the tick is counted")
	var calls []string
	for _, c := range h.Recorder.Calls() {
		calls = append(calls, c.Method)
	}
	assert.Equal(t, []string{"RunCallbacks", "Status", "GetNextOutgoingPacket"}, calls, "the systems ran between")

	order = nil
	e := decs.NewECS(h.World)
	p.AddTo(e)
	e.Update()
	assert.Empty(t, order, "AddTo runs no hooks nor AddSystem's systems")
}
