-- +goose Up
-- A delivery's status history moves onto its row: one JSON object per line
-- (status, at, detail, applied), oldest first. Planning a delivery then
-- writes one row instead of two, and recording a send updates that row
-- instead of adding two more.
ALTER TABLE deliveries ADD COLUMN history TEXT NOT NULL DEFAULT '';
UPDATE deliveries SET history = (
    SELECT group_concat(json_object('status', h.status, 'at', replace(h.at, ' ', 'T'), 'detail', h.detail,
        'applied', json(CASE WHEN h.applied THEN 'true' ELSE 'false' END)) || char(10), '' ORDER BY h.at, h.id)
    FROM delivery_history h WHERE h.tenant_id = deliveries.tenant_id AND h.delivery_id = deliveries.id)
WHERE EXISTS (SELECT 1 FROM delivery_history h
    WHERE h.tenant_id = deliveries.tenant_id AND h.delivery_id = deliveries.id);
DROP TABLE delivery_history;

-- +goose Down
CREATE TABLE delivery_history (
    tenant_id   TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    id          TEXT NOT NULL,
    status      TEXT NOT NULL,
    at          TIMESTAMP NOT NULL,
    detail      TEXT NOT NULL,
    applied     BOOLEAN NOT NULL,
    PRIMARY KEY (tenant_id, delivery_id, id)
);
INSERT INTO delivery_history (tenant_id, delivery_id, id, status, at, detail, applied)
SELECT d.tenant_id, d.id, printf('%010d', j.key), json_extract(j.value, '$.status'),
    replace(replace(json_extract(j.value, '$.at'), 'T', ' '), 'Z', '+00:00'), COALESCE(json_extract(j.value, '$.detail'), ''),
    json_extract(j.value, '$.applied')
FROM deliveries d, json_each('[' || replace(rtrim(d.history, char(10)), char(10), ',') || ']') j
WHERE d.history <> '';
ALTER TABLE deliveries DROP COLUMN history;
