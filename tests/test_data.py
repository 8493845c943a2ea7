"""Unit tests of helpers.data: checksums, loaders, and clear errors for missing or corrupted files."""

import shutil

import numpy as np
import pytest

from helpers.data import DATASETS, DatasetError, data_dir, dataset_info, load_fashion_mnist, load_mnist, verified_path
from helpers.data import tables
from helpers.data.images import read_idx
from helpers.data.registry import sha256_of
from helpers.data.synthetic import GENERATORS, write_all


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_registered_file_matches_its_checksum(name):
    for relative in DATASETS[name].files:
        assert verified_path(name, relative).is_file()


def test_vendored_files_carry_their_license():
    folders = {file.split("/")[0] for info in DATASETS.values() for file in info.files}
    assert {"mnist", "fashion-mnist", "synthetic"} <= folders
    for folder in sorted(folders):
        assert (data_dir() / folder / "LICENSE.md").is_file(), f"datasets/{folder} needs its LICENSE.md"


def test_mnist_matches_the_published_facts():
    (X_train, y_train), (X_test, y_test) = load_mnist()
    assert X_train.shape == (60000, 28, 28) and X_test.shape == (10000, 28, 28)
    assert X_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert y_test[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert round(float(X_train.mean()), 3) == 33.318


def test_fashion_mnist_shapes_and_balance():
    (X_train, y_train), (X_test, _) = load_fashion_mnist()
    assert X_train.shape == (60000, 28, 28) and X_test.shape == (10000, 28, 28)
    assert np.all(np.bincount(y_train) == 6000)
    assert y_train[:10].tolist() == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]


@pytest.mark.parametrize(
    "loader, n_features",
    [(tables.load_advertising, 3), (tables.load_study_sleep, 2), (tables.load_linear_1d, 1),
     (tables.load_linear_2d, 2), (tables.load_noisy_linear, 1), (tables.load_noisy_quadratic, 1)],
)
def test_table_loaders_return_rows_of_examples(loader, n_features):
    X, y = loader()
    assert X.ndim == 2 and X.shape[1] == n_features and y.shape == (X.shape[0],)
    assert X.dtype == np.float64 and np.all(np.isfinite(X))


def test_synthetic_files_are_reproduced_by_their_generator(tmp_path):
    for path in write_all(tmp_path):
        shipped = f"synthetic/{path.name}"
        assert sha256_of(path) == DATASETS[path.stem].files[shipped], f"{shipped} differs from its generator's output"
    assert set(GENERATORS) == {name for name, info in DATASETS.items() if info.synthetic}


def test_study_sleep_classes_overlap():
    """Unpenalised logistic regression needs non-separable classes to have a finite optimum."""
    from sklearn.linear_model import LogisticRegression

    X, y = tables.load_study_sleep()
    model = LogisticRegression(C=np.inf, max_iter=10_000).fit(X, y)
    assert 0.7 < model.score(X, y) < 1.0
    assert np.all(np.abs(model.coef_) < 10), "finite, moderate coefficients: the classes are not separable"


def test_study_sleep_file_is_its_generators_output(tmp_path):
    """The shipped table is byte for byte what the seeded generator writes."""
    from helpers.data.synthetic import make_study_sleep, write_csv

    write_csv(tmp_path / "study_sleep.csv", *make_study_sleep())
    assert sha256_of(tmp_path / "study_sleep.csv") == DATASETS["study_sleep"].files["synthetic/study_sleep.csv"]
    assert sha256_of(tmp_path / "study_sleep.csv") == sha256_of(data_dir() / "synthetic" / "study_sleep.csv")


def test_study_sleep_tells_a_sensible_story():
    """Students who passed studied more and slept more, and both features raise the odds of passing."""
    from sklearn.linear_model import LogisticRegression

    X, y = tables.load_study_sleep()
    assert np.all(X[y == 1].mean(axis=0) > X[y == 0].mean(axis=0) + 1.0), "passers study and sleep over an hour more"
    assert np.all(np.corrcoef(X.T, y)[-1, :2] > 0.3)
    assert np.all(LogisticRegression(C=np.inf, max_iter=10_000).fit(X, y).coef_ > 0)


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(DatasetError, match="Unknown dataset 'mnits'.*mnist"):
        dataset_info("mnits")


def _copy_data(tmp_path, monkeypatch, folder="synthetic"):
    """Copy one dataset folder to ``tmp_path/datasets``, point the loaders there, and return ``tmp_path/datasets``."""
    copy = tmp_path / "datasets"
    shutil.copytree(data_dir() / folder, copy / folder)
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    return copy


def test_missing_file_names_the_file_and_the_fix(tmp_path, monkeypatch):
    copy = _copy_data(tmp_path, monkeypatch)
    (copy / "synthetic" / "advertising.csv").unlink()
    with pytest.raises(DatasetError, match=r"synthetic/advertising\.csv is missing.*git checkout -- datasets/"):
        tables.load_advertising()


def test_corrupted_file_names_the_file_and_the_fix(tmp_path, monkeypatch):
    copy = _copy_data(tmp_path, monkeypatch)
    with open(copy / "synthetic" / "linear_1d.csv", "a") as handle:
        handle.write("1.0,2.0\n")
    with pytest.raises(DatasetError, match=r"linear_1d\.csv is corrupted.*git checkout -- datasets/"):
        tables.load_linear_1d()


def test_read_idx_rejects_bad_headers():
    with pytest.raises(DatasetError, match="not an IDX file"):
        read_idx(b"\x00\x00\x00\x07" + bytes(8), "bad.gz")
    header = (2049).to_bytes(4, "big") + (5).to_bytes(4, "big")
    with pytest.raises(DatasetError, match="header says"):
        read_idx(header + bytes(3), "short.gz")
    np.testing.assert_array_equal(read_idx(header + bytes([1, 2, 3, 4, 5]), "ok.gz"), [1, 2, 3, 4, 5])


def test_first_names_match_the_census_files():
    from helpers.data import load_first_names

    female, male, both = load_first_names("female"), load_first_names("male"), load_first_names()
    assert (len(female), len(male), len(both)) == (4275, 1219, 5163)
    assert len(set(female) & set(male)) == 331 and both == sorted(set(female) | set(male))
    assert all(name.isascii() and name.isalpha() and name.islower() and 2 <= len(name) <= 11 for name in both)
    assert {"mary", "james", "john"} <= set(both) and "MARY" not in both
    assert (data_dir() / "census-names" / "LICENSE.md").is_file(), "datasets/census-names needs its LICENSE.md"


def test_first_names_reject_an_unknown_sex():
    from helpers.data import load_first_names

    with pytest.raises(ValueError, match="'all', 'female' or 'male'"):
        load_first_names("other")


def test_first_names_missing_file_names_the_file_and_the_fix(tmp_path, monkeypatch):
    from helpers.data import load_first_names

    copy = _copy_data(tmp_path, monkeypatch, "census-names")
    (copy / "census-names" / "dist.male.first").unlink()
    with pytest.raises(DatasetError, match=r"census-names/dist\.male\.first is missing.*git checkout -- datasets/"):
        load_first_names()
    load_first_names("female")  # the other file still loads
    with open(copy / "census-names" / "dist.female.first", "a") as handle:
        handle.write("ZZYZX          0.001 90.000   4276\n")
    with pytest.raises(DatasetError, match=r"dist\.female\.first is corrupted"):
        load_first_names("female")


def test_penguins_match_the_published_table():
    """The Palmer penguins table as the R package documents it: 344 penguins, 3 species, a few gaps."""
    penguins = tables.load_penguins()
    assert penguins.shape == (344, 8) and tuple(penguins.columns) == tables.PENGUINS_COLUMNS
    assert penguins["species"].value_counts().to_dict() == {"Adelie": 152, "Gentoo": 124, "Chinstrap": 68}
    assert sorted(penguins["island"].unique()) == ["Biscoe", "Dream", "Torgersen"]
    assert penguins.isna().sum().to_dict() == {
        "species": 0, "island": 0, "bill_length_mm": 2, "bill_depth_mm": 2,
        "flipper_length_mm": 2, "body_mass_g": 2, "sex": 11, "year": 0,
    }
    assert sorted(penguins["sex"].dropna().unique()) == ["female", "male"]
    assert penguins["body_mass_g"].dtype == np.float64 and sorted(penguins["year"].unique()) == [2007, 2008, 2009]
    assert penguins.iloc[0].tolist() == ["Adelie", "Torgersen", 39.1, 18.7, 181.0, 3750.0, "male", 2007]


def test_penguins_carry_their_license():
    text = (data_dir() / "penguins" / "LICENSE.md").read_text(encoding="utf-8")
    assert "CC0" in text and "Gorman" in text and "Horst" in text
    assert not DATASETS["penguins"].synthetic


def test_corrupted_penguins_name_the_file_and_the_fix(tmp_path, monkeypatch):
    copy = _copy_data(tmp_path, monkeypatch, "penguins")
    with open(copy / "penguins" / "penguins.csv", "a") as handle:
        handle.write("Gentoo,Biscoe,NA,NA,NA,NA,NA,2009\n")
    with pytest.raises(DatasetError, match=r"penguins/penguins\.csv is corrupted.*git checkout -- datasets/"):
        tables.load_penguins()
    (copy / "penguins" / "penguins.csv").unlink()
    with pytest.raises(DatasetError, match=r"penguins/penguins\.csv is missing.*git checkout -- datasets/"):
        tables.load_penguins()


def test_names_are_encoded_for_next_character_prediction():
    from helpers.data import character_vocabulary, encode_names

    vocabulary = character_vocabulary(["ab", "ba", "c"])
    assert vocabulary == ["", ".", "a", "b", "c"]
    X, Y = encode_names(["ab", "c"], vocabulary, 4)
    assert X.dtype == Y.dtype == np.int32
    np.testing.assert_array_equal(X, [[1, 2, 3, 0], [1, 4, 0, 0]])  # "." + name, padded with 0
    np.testing.assert_array_equal(Y, [[2, 3, 1, 0], [4, 1, 0, 0]])  # name + ".": X shifted left by one
    with pytest.raises(ValueError, match="needs 3 positions but seq_len is 2"):
        encode_names(["ab"], vocabulary, 2)
    with pytest.raises(ValueError, match=r"\['z'\], which are not in the vocabulary"):
        encode_names(["az"], vocabulary, 4)
