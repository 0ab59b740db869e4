// Package e2e holds the example game's end-to-end tests: the dedicated
// server and bot clients built and run as separate processes on 127.0.0.1,
// checked from outside with an independent A2S client, and a check that the
// headless programs do not depend on Ebiten. It has no code of its own.
package e2e
