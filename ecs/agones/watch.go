package agones

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// ErrStreamEnded is what Watch returns when the sidecar ends the watch
// stream (it restarted, or shut down).
var ErrStreamEnded = errors.New("agones: the sidecar ended the watch stream")

// Watch streams the GameServer (GET /watch/gameserver): it calls fn with the
// current GameServer first and then once per change, on the caller's
// goroutine, until ctx is done, the stream ends or fn returns an error. It
// returns fn's error, ctx's, ErrStreamEnded (wrapped in an *Error), or the
// *Error of a connection or line that failed. Connecting is retried with
// the client's back-off while the sidecar does not answer; a stream that
// ends is not reopened (a caller that keeps watching calls Watch again).
func (c *Client) Watch(ctx context.Context, fn func(*GameServer) error) error {
	const call, method, path = "WatchGameServer", http.MethodGet, "/watch/gameserver"
	fail := func(status int, err error) error {
		return &Error{Call: call, Method: method, Path: path, Status: status, Err: err}
	}
	var resp *http.Response
	var delay time.Duration
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, method, c.base+path, nil)
		if err != nil {
			return fail(0, err)
		}
		req.Header.Set("Accept", "application/json")
		resp, err = c.hc.Do(req)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if attempt >= c.backoff.Attempts {
			return fail(0, err)
		}
		delay = c.backoff.next(delay)
		if sleep(ctx, c.clock, delay) != nil {
			return ctx.Err()
		}
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		return answerError(call, method, path, resp.StatusCode, data)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), maxBody)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var l watchLine
		if err := json.Unmarshal(line, &l); err != nil {
			return fail(resp.StatusCode, fmt.Errorf("watch line does not decode: %w", err))
		}
		switch {
		case l.Error != nil:
			return &Error{Call: call, Method: method, Path: path, Status: resp.StatusCode,
				Code: l.Error.Code, Message: l.Error.Message}
		case l.Result == nil:
			return fail(resp.StatusCode, errors.New(`watch line has neither "result" nor "error"`))
		}
		if err := fn(l.Result); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	switch err := sc.Err(); {
	case errors.Is(err, bufio.ErrTooLong):
		return fail(resp.StatusCode, fmt.Errorf("watch line longer than %d bytes: %w", maxBody, err))
	case err != nil:
		// The connection broke mid-stream (a sidecar that went away ends
		// its chunked answer without the last chunk).
		return fail(0, fmt.Errorf("%w: %w", ErrStreamEnded, err))
	}
	return fail(0, ErrStreamEnded)
}
