"""Where each page type may be created, as the editor's "add child page" menu offers it."""

import pytest
from wagtail.models import Page

from kompetensverkstad.models import HomePage, StandardPage
from lessons.models import (
    LecturePage,
    LessonsLearnedPage,
    ModulePage,
    ProjectIndexPage,
    ProjectPage,
)
from tests import factories
from worksheets.models import WorksheetPage

ALL_TYPES = [
    HomePage,
    StandardPage,
    ModulePage,
    LecturePage,
    WorksheetPage,
    LessonsLearnedPage,
    ProjectIndexPage,
    ProjectPage,
]


@pytest.fixture
def tree(home, module_page, lecture_page, project_index):
    project = factories.ProjectPageFactory(parent=project_index)
    article = factories.LessonsLearnedPageFactory(parent=home)
    standard = factories.StandardPageFactory(parent=home)
    return {
        "root": Page.get_first_root_node(),
        "home": home,
        "module": module_page,
        "lecture": lecture_page,
        "worksheet": lecture_page.work_material.get().page,
        "project_index": project_index,
        "project": project,
        "article": article,
        "standard": standard,
    }


def creatable_at(parent) -> set[type]:
    return {model for model in ALL_TYPES if model.can_create_at(parent)}


@pytest.mark.django_db
def test_project_page_can_only_go_under_the_project_index(tree):
    assert ProjectPage.allowed_parent_page_models() == [ProjectIndexPage]
    assert creatable_at(tree["project_index"]) == {ProjectPage}
    for name in ("root", "home", "module", "standard"):
        assert not ProjectPage.can_create_at(tree[name]), name


@pytest.mark.django_db
def test_lecture_page_can_only_go_under_a_module(tree):
    assert LecturePage.allowed_parent_page_models() == [ModulePage]
    for name in ("root", "home", "project_index", "article", "standard"):
        assert not LecturePage.can_create_at(tree[name]), name
    assert LecturePage.can_create_at(tree["module"])


@pytest.mark.django_db
def test_module_takes_lectures_worksheets_and_articles(tree):
    assert creatable_at(tree["module"]) == {LecturePage, WorksheetPage, LessonsLearnedPage}


@pytest.mark.django_db
@pytest.mark.parametrize("leaf", ["lecture", "worksheet", "project", "article"])
def test_nothing_can_be_created_under_leaf_pages(tree, leaf):
    assert creatable_at(tree[leaf]) == set()
    assert type(tree[leaf]).allowed_subpage_models() == []


@pytest.mark.django_db
def test_only_one_project_index_can_exist(tree):
    assert not ProjectIndexPage.can_create_at(tree["home"])
    tree["project_index"].delete()
    assert ProjectIndexPage.can_create_at(tree["home"])


@pytest.mark.django_db
def test_home_page_only_goes_under_wagtails_root(tree):
    assert HomePage.allowed_parent_page_models() == [Page]
    # One home page per parent: the root already has one.
    assert not HomePage.can_create_at(tree["root"])
    for name in ("home", "module", "standard", "project_index"):
        assert not HomePage.can_create_at(tree[name]), name
    assert tree["home"].get_parent().specific_class is Page


@pytest.mark.django_db
def test_home_page_takes_modules_articles_the_catalogue_and_standard_pages(tree):
    assert set(HomePage.allowed_subpage_models()) == {
        ModulePage,
        LessonsLearnedPage,
        ProjectIndexPage,
        StandardPage,
    }
    assert creatable_at(tree["standard"]) == {StandardPage}
