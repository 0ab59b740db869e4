package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/steamgs/steamgs/ecs/metrics"
	"github.com/steamgs/steamgs/example_game/server"
)

// metricsServer serves /metrics and /healthz for -metrics. Close it when
// done.
type metricsServer struct {
	ln   net.Listener
	http *http.Server
	done chan struct{}
}

// serveMetrics serves, on addr, /metrics from a registry of the server's
// own (the Go and process collectors and the plugin's steamgs metrics) and
// /healthz, which answers 200 "ok". An empty addr
// serves nothing and returns nil. Call it on the tick's goroutine after
// server.New.
func serveMetrics(addr string, srv *server.Server, log *slog.Logger) (*metricsServer, error) {
	if addr == "" {
		return nil, nil
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if _, err := metrics.Register(reg, srv.Plugin(), metrics.Options{}); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("-metrics %s: %w", addr, err)
	}
	ms := &metricsServer{ln: ln, done: make(chan struct{}),
		http: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}}
	go func() {
		defer close(ms.done)
		if err := ms.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server failed", "err", err)
		}
	}()
	log.Info("serving metrics", "addr", ln.Addr().String())
	return ms, nil
}

// Close stops serving and waits for the serving goroutine; nil does
// nothing.
func (ms *metricsServer) Close() error {
	if ms == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := ms.http.Shutdown(ctx)
	<-ms.done
	return err
}
