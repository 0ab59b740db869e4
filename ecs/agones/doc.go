// Package agones runs a steamgs game server under Agones (agones.dev): it
// talks to the SDK sidecar's HTTP/JSON gateway with net/http (the Go SDK is
// not needed) and ties the GameServer's life cycle, health and players to
// the state of an ecs.Plugin.
//
// One call attaches it to a plugin, after ecs.Install:
//
//	a, err := agones.Attach(p, agones.Options{Logger: log})
//	defer a.Close()
//	a.Events().Allocated.Subscribe(w, func(w donburi.World, ev agones.Allocated) { /* a match */ })
//	// on SIGTERM: a.Stop(agones.ReasonSignal, nil); when log-on fails for good: a.GiveUp(err)
//	for { select { case <-a.Done(): return; case <-ticker.C: p.Tick() } }
//
// With AGONES_SDK_HTTP_PORT unset the server is not under Agones and the
// Agent does nothing. Otherwise the Agent (see its doc for the life cycle)
// calls Ready once Steam has logged the server on, pings /health from a
// goroutine only while the tick keeps running, keeps the players list (and,
// optionally, alpha player tracking) and its capacity true from the auth
// verdicts, sets the steam-id, map and version labels, and publishes what
// the cluster does (an allocation on the watch stream, a change of state, a
// failed call) as donburi events in the tick. Every call is made on the
// Agent's own goroutines, retried with back-off while the sidecar is not up
// or refuses; the tick never blocks, and a quiet tick allocates nothing.
//
// Client is the typed client underneath, for a dedicated server's own
// calls: every SDK route, int64 values as strings, *Error values that name
// the call and carry the sidecar's {"code","message"} answer. Endpoint and
// LookupEndpoint give a server started with portPolicy Dynamic the host
// port and address to advertise. Package agonestest is a fake sidecar that
// follows the contract, for tests.
//
// The package imports ecs, never the other way round, and builds with
// CGO_ENABLED=0.
package agones
