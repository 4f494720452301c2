// Package workspace holds the Huawei Cloud Workspace data sources: script
// execution records and key desktop events. Each file is a data source's
// schema, its query and its converter; paging, retries, signing and state
// building are shared (internal/paginate, internal/transport,
// internal/huaweicloud, internal/framework).
package workspace
