package sqlstore

import (
	"context"
	"time"

	"github.com/avisera/avisera"
)

// PutFile implements store.FileStore.
func (s *Store) PutFile(ctx context.Context, tenantID string, f avisera.File, data []byte) error {
	_, err := s.exec(ctx, `INSERT INTO files (tenant_id, id, name, content_type, size, sha256, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, tenantID, f.ID, f.Name, f.ContentType, f.Size, f.SHA256, data,
		f.CreatedAt.UTC())
	return err
}

// GetFile implements store.FileStore.
func (s *Store) GetFile(ctx context.Context, tenantID, id string, withData bool) (avisera.File, []byte, error) {
	var f avisera.File
	var data []byte
	dest := []any{&f.ID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.CreatedAt}
	cols := `id, name, content_type, size, sha256, created_at`
	if withData {
		cols += `, data`
		dest = append(dest, &data)
	}
	err := s.scanRow(ctx, dest, `SELECT `+cols+` FROM files WHERE tenant_id = ? AND id = ?`, tenantID, id)
	return f, data, err
}

// RecordDownload implements store.FileStore.
func (s *Store) RecordDownload(ctx context.Context, tenantID, fileID, deliveryID string, at time.Time) error {
	_, err := s.exec(ctx, `INSERT INTO downloads (tenant_id, file_id, delivery_id, at) VALUES (?, ?, ?, ?)`,
		tenantID, fileID, deliveryID, at.UTC())
	return err
}
