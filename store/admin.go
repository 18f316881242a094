package store

// AdminStore keeps what the admin web UI needs of its own: administrators'
// logins and their sessions. Package admin owns its methods.
type AdminStore interface{}
