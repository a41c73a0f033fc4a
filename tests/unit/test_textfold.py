from repo_app.textfold import fold, slug


def test_fold_keeps_d_with_stroke_as_d():
    assert fold("Đại học Đà Nẵng") == "dai hoc da nang"


def test_fold_handles_decomposed_input():
    assert fold("Nguye\u0302\u0303n") == "nguyen"


def test_slug_is_ascii():
    assert slug("Khoa Công nghệ thông tin") == "khoa-cong-nghe-thong-tin"
    assert slug("!!!") == "x"
