// Package oos holds the Alibaba Cloud CloudOps Orchestration Service (OOS)
// data sources: the logs of an execution. Each file is a data source's
// schema, its request and its converter; paging, retries, signing and state
// building are shared (internal/paginate, internal/transport,
// internal/alicloud, internal/framework).
package oos
