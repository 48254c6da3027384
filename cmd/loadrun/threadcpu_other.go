//go:build !linux

package main

import "time"

// threadCPU falls back to the process's CPU time where a thread's own is not
// available.
func threadCPU() (time.Duration, bool) { return processCPU() }
