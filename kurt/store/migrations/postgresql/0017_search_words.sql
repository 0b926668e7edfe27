-- dialect: postgresql (the variant of ../0017_search_words.sql)
-- Words are matched as in SQLite's FTS5 index (0002, unicode61 remove_diacritics 2):
--
-- Stop words. The 'english' configuration drops English stop words (the, to, a, about, only, ...)
-- from the tsvector and from queries: the phrase "connect to a database" then matched
-- "connect" and "database" three words apart whatever the words between them, and a
-- query of stop words ("about") matched nothing, where SQLite's FTS5 index keeps every
-- word. kurt_english is 'english' with the same Snowball stemmer and no stop list;
-- kurt/search_postgres.py CONFIG names it.
--
-- Diacritics. FTS5 folds the Latin letters with diacritics to their base letter (résumé
-- matches resume); PostgreSQL's parser keeps them. kurt_fold() folds the same 488
-- letters (U+00C0-U+024F, U+1E00-U+1EFF) as FTS5 does, the table made from FTS5's own
-- output (tests/test_search_postgres.py compares them), on the passages' text here and
-- on the query's words in kurt/search_postgres.py. Folding before the split at
-- non-alphanumeric characters also keeps those letters in words where the database's
-- character class ([:alnum:]) would not count them.
--
-- The passages' tsvectors are computed again.
CREATE TEXT SEARCH DICTIONARY kurt_english_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION kurt_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION kurt_english ALTER MAPPING REPLACE english_stem WITH kurt_english_stem;

CREATE FUNCTION kurt_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE WHEN t !~ '[À-ɏḀ-ỿ]' THEN t ELSE translate(t,
    'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ',
    'aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzsoouuaaiioouuuuuuuuuuaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwysaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy') END
$$;

CREATE OR REPLACE FUNCTION kurt_sections_fts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sections_fts (section_id, tsv)
    VALUES (NEW.id,
            setweight(to_tsvector('kurt_english', regexp_replace(kurt_fold(coalesce(NEW.heading_path, '')), '[^[:alnum:]]+', ' ', 'g')), 'A')
            || setweight(to_tsvector('kurt_english', regexp_replace(kurt_fold(coalesce(NEW.search_body, '')), '[^[:alnum:]]+', ' ', 'g')), 'B'))
    ON CONFLICT (section_id) DO UPDATE SET tsv = excluded.tsv;
    RETURN NULL;
END
$$;

UPDATE sections_fts f
SET tsv = setweight(to_tsvector('kurt_english', regexp_replace(kurt_fold(coalesce(s.heading_path, '')), '[^[:alnum:]]+', ' ', 'g')), 'A')
          || setweight(to_tsvector('kurt_english', regexp_replace(kurt_fold(coalesce(s.search_body, '')), '[^[:alnum:]]+', ' ', 'g')), 'B')
FROM sections s
WHERE s.id = f.section_id;
