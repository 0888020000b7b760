package tracing

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

func TestExporterFollowsTheEnvironment(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		env  map[string]string
		want string // "off", "otlp", "console" or "error"
	}{
		{"nothing set", nil, "off"},
		{"only a service name", map[string]string{"OTEL_SERVICE_NAME": "carnet-eu"}, "off"},
		{"endpoint", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, "otlp"},
		{"traces endpoint", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"}, "otlp"},
		{"otlp named", map[string]string{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, "otlp"},
		{"otlp without endpoint", map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, "off"},
		{"json protocol", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"}, "otlp"},
		{"grpc refused", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4317", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc"}, "error"},
		{"none wins", map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, "off"},
		{"disabled wins", map[string]string{"OTEL_SDK_DISABLED": "true", "OTEL_TRACES_EXPORTER": "console"}, "off"},
		{"console", map[string]string{"OTEL_TRACES_EXPORTER": "console"}, "console"},
		{"unknown exporter", map[string]string{"OTEL_TRACES_EXPORTER": "zipkin"}, "error"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var console bytes.Buffer
			exp, err := exporter(ctx, func(k string) string { return c.env[k] }, &console)
			got := "off"
			switch {
			case err != nil:
				got = "error"
			case exp == nil:
			case strings.Contains(typeName(exp), "otlptrace"):
				got = "otlp"
			case strings.Contains(typeName(exp), "stdouttrace"):
				got = "console"
			default:
				got = typeName(exp)
			}
			if got != c.want {
				t.Fatalf("got %s (%v), want %s", got, err, c.want)
			}
			if exp == nil {
				return
			}
			defer exp.Shutdown(ctx)
			if got == "console" {
				tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
				_, span := tp.Tracer(Scope).Start(ctx, "hello")
				span.End()
				if !strings.Contains(console.String(), `"Name":"hello"`) {
					t.Errorf("console exporter wrote %q", console.String())
				}
			}
		})
	}
}

func TestChildNeedsARecordingParent(t *testing.T) {
	ctx := context.Background()
	if c, span := Child(ctx, "orphan"); span.IsRecording() || c != ctx {
		t.Fatal("a span was started without a parent")
	}
	tp := sdktrace.NewTracerProvider()
	ctx, parent := tp.Tracer(Scope).Start(ctx, "parent")
	_, span := Child(ctx, "child")
	if !span.IsRecording() || span.SpanContext().TraceID() != parent.SpanContext().TraceID() {
		t.Fatal("no child span under a recording parent")
	}
	if TraceID(ctx) != parent.SpanContext().TraceID().String() || TraceID(context.Background()) != "" {
		t.Fatal("TraceID")
	}
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }
