//go:build unix

// Command rsswrap runs a command with the standard streams and environment
// it was given and, when the command ends, appends a line with the
// command's peak resident set in KiB (getrusage ru_maxrss of the child) to
// the file named by RSSWRAP_OUT. scripts/bench-e2e.sh puts it between
// Terraform and the provider to measure the provider process's peak memory:
// Terraform starts providers as child processes of its own, so measuring
// Terraform itself would not say how much the provider used.
//
//	RSSWRAP_OUT=/tmp/rss rsswrap /path/to/terraform-provider-opsaudit [args...]
//
// SIGINT and SIGTERM are passed on to the command; the exit status is the
// command's. Linux only (ru_maxrss is in KiB there).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv("RSSWRAP_OUT"), os.Stderr))
}

// run runs args[0] with args[1:] and the process's standard streams,
// appends its peak resident set to out (when not empty) and returns its
// exit status.
func run(args []string, out string, stderr io.Writer) int {
	if len(args) < 1 {
		fmt.Fprintln(stderr, "usage: RSSWRAP_OUT=FILE rsswrap COMMAND [ARG...]")
		return 2
	}
	// Not killed through a context: the command ends by itself, or on the
	// signals passed on below.
	cmd := exec.CommandContext(context.Background(), args[0], args[1:]...) //nolint:gosec // runs the command it is given, by design
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "rsswrap:", err)
		return 127
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case s := <-sigs:
				_ = cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
		if code < 0 {
			code = 1 // killed by a signal
		}
	case err != nil:
		fmt.Fprintln(stderr, "rsswrap:", err)
		code = 1
	}
	if out != "" {
		if err := record(out, cmd.ProcessState); err != nil {
			fmt.Fprintln(stderr, "rsswrap:", err)
		}
	}
	return code
}

// record appends the process's peak resident set, in KiB, to the file out.
func record(out string, ps *os.ProcessState) error {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return errors.New("no resource usage for the command")
	}
	f, err := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600) //nolint:gosec // the file the caller names
	if err != nil {
		return fmt.Errorf("recording the peak resident set: %w", err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", ru.Maxrss); err != nil {
		_ = f.Close()
		return fmt.Errorf("recording the peak resident set: %w", err)
	}
	return f.Close()
}
