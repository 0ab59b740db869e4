// Package readme holds the test that keeps the Go code of the repository's
// README.md compiled and run: each ```go block there follows a comment
//
//	<!-- example: DIR EXAMPLE -->
//
// naming a runnable Example function (one with an Output comment) in the
// package at DIR, and the block is that function's body. The test fails when
// a block lacks its comment or differs from the body, so the README's code
// is what go test compiles and runs. It has no code of its own.
package readme
