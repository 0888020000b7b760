-- +goose Up
-- Hand-written (migrategen -rehash), SQLite only: the vocabulary's
-- trigram index, the counterpart of PostgreSQL's pg_trgm GIN index
-- (searchword_word_trgm). An FTS5 table with the trigram tokenizer over
-- search_words (external content: it stores only the index), kept in step
-- by triggers; the infix search reads it with LIKE '%w%' (internal/search).
-- Without it an infix query scans the organisation's whole vocabulary.
CREATE VIRTUAL TABLE `search_word_trigrams` USING fts5(`word`, content = 'search_words', content_rowid = 'id', tokenize = 'trigram');
-- +goose StatementBegin
CREATE TRIGGER `search_word_trigrams_insert` AFTER INSERT ON `search_words` BEGIN
  INSERT INTO `search_word_trigrams` (rowid, `word`) VALUES (new.`id`, new.`word`);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER `search_word_trigrams_delete` AFTER DELETE ON `search_words` BEGIN
  INSERT INTO `search_word_trigrams` (`search_word_trigrams`, rowid, `word`) VALUES ('delete', old.`id`, old.`word`);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER `search_word_trigrams_update` AFTER UPDATE OF `word` ON `search_words` BEGIN
  INSERT INTO `search_word_trigrams` (`search_word_trigrams`, rowid, `word`) VALUES ('delete', old.`id`, old.`word`);
  INSERT INTO `search_word_trigrams` (rowid, `word`) VALUES (new.`id`, new.`word`);
END;
-- +goose StatementEnd
INSERT INTO `search_word_trigrams` (`search_word_trigrams`) VALUES ('rebuild');

-- +goose Down
DROP TRIGGER `search_word_trigrams_update`;
DROP TRIGGER `search_word_trigrams_delete`;
DROP TRIGGER `search_word_trigrams_insert`;
DROP TABLE `search_word_trigrams`;
