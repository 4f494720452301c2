// Package opa tests the Rego policies of examples/policy-checks/opa
// against plan JSON made from the emulator (see opa_test.go). It lives in
// the conformance module so that OPA stays out of the provider's go.mod.
package opa
