from repo_app.textfold import fold, slug


def test_fold_keeps_d_with_stroke_as_d():
    assert fold("Đại học Đà Nẵng") == "dai hoc da nang"


def test_fold_handles_decomposed_input():
    assert fold("Nguye\u0302\u0303n") == "nguyen"


def test_slug_is_ascii():
    assert slug("Khoa Công nghệ thông tin") == "khoa-cong-nghe-thong-tin"
    assert slug("!!!") == "x"


def test_fold_repairs_words_u_with_horn_as_the_index_does():
    # Word writes U+01A3 for "ư"; the search index reads it as "ư", so matching must too.
    assert fold("Trƣờng Đại học") == fold("Trường Đại học") == "truong dai hoc"


def test_fold_folds_like_the_search_index():
    from search.spelling import canonical_folded

    for word in ("Nguyễn", "hoà", "thuỷ", "ĐƯỜNG"):
        assert fold(word) == canonical_folded(word)
