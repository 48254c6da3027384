package postgres

import (
	"fmt"
	"strings"
)

// table names a table's key columns and its other columns, in the order its
// scan and args functions use (key columns first), and builds the SQL that
// every aggregate shares from them.
type table struct {
	name string
	key  []string
	cols []string
}

// columns lists every column, each prefixed (e.g. "g.").
func (t table) columns(prefix string) string {
	all := append(append([]string{}, t.key...), t.cols...)
	for i, c := range all {
		all[i] = prefix + c
	}
	return strings.Join(all, ", ")
}

// selectSQL is "SELECT <columns> FROM <table> [alias]".
func (t table) selectSQL(alias string) string {
	if alias == "" {
		return "SELECT " + t.columns("") + " FROM " + t.name
	}
	return "SELECT " + t.columns(alias+".") + " FROM " + t.name + " " + alias
}

// whereKey matches the key columns against $1, $2, ...
func (t table) whereKey() string {
	conds := make([]string, len(t.key))
	for i, c := range t.key {
		conds[i] = fmt.Sprintf("%s = $%d", c, i+1)
	}
	return strings.Join(conds, " AND ")
}

func placeholders(from, n int) string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = fmt.Sprintf("$%d", from+i)
	}
	return strings.Join(ps, ", ")
}

// insertSQL inserts every column from $1...
func (t table) insertSQL() string {
	return "INSERT INTO " + t.name + " (" + t.columns("") + ") VALUES (" +
		placeholders(1, len(t.key)+len(t.cols)) + ")"
}

// updateSQL sets the non-key columns of the row whose key is $1...; it takes
// the same arguments as insertSQL.
func (t table) updateSQL() string {
	sets := make([]string, len(t.cols))
	for i, c := range t.cols {
		sets[i] = fmt.Sprintf("%s = $%d", c, len(t.key)+1+i)
	}
	return "UPDATE " + t.name + " SET " + strings.Join(sets, ", ") + " WHERE " + t.whereKey()
}

// deleteSQL deletes the row whose key is $1...
func (t table) deleteSQL() string {
	return "DELETE FROM " + t.name + " WHERE " + t.whereKey()
}
