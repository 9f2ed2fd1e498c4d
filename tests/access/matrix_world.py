"""The world the access matrix walks: eight people and one real object behind every URL id.

Everything a URL can point at exists here, owned by somebody definite, so that each cell of the
matrix asks a real question ("may B open A's PDF?", "may trainer Y open session X?") rather
than hitting a 404 because the id was made up. The ids of the objects are what the matrix puts
into URLs; every one belongs to learner A, session X or content the editor may manage.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from taggit.models import Tag
from wagtail.admin.models import EditingSession
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
    Site,
    Task,
    UploadedFile,
    Workflow,
)

from kompetensverkstad.accounts.coordinators import COORDINATOR_GROUP, Coordinator
from kompetensverkstad.accounts.federation.models import FederatedIdentity, IdentityProvider
from kompetensverkstad.accounts.models import Municipality, Profile
from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.privacy.models import ErasureRequest
from kompetensverkstad.privacy.retention.models import RetentionSettings
from lessons.learning.models import ModuleCompletion, StepProgress
from lessons.learning.recording import record_step_completed
from lessons.models import ModulePage, ModuleStep
from lessons.workshops.models import TRAINER_GROUP, SessionParticipant, WorkshopSession
from tests import factories
from tests.factories import Kind, build_module, make_site
from worksheets.answering import save_draft, submit
from worksheets.models import WorksheetPage
from worksheets.responses import WorksheetResponse

# The eight people of the matrix, in the order of its columns.
USERS = (
    "anonymous",
    "learner_a",
    "learner_b",
    "trainer_x",
    "trainer_y",
    "editor",
    "admin",
    "coordinator",
)
# Wagtail's own migrations create this group with admin access and page/image/document rights.
EDITORS_GROUP = "Editors"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    users: dict[str, AbstractBaseUser | None]
    home: object
    module: ModulePage
    lecture: object
    worksheet: WorksheetPage
    draft_worksheet: WorksheetPage
    article: object
    public_page: object
    draft_page: object
    private_page: object
    password_page: object
    project_index: object
    project: object
    steps: dict[str, ModuleStep]
    session_x: WorkshopSession
    session_y: WorkshopSession
    participant_a: SessionParticipant
    participant_b: SessionParticipant
    response_a: WorksheetResponse
    draft_response_a: WorksheetResponse
    pdf_a: PdfDocument
    certificate_a: PdfDocument
    completion_a: ModuleCompletion
    progress_a: StepProgress
    ids: dict[str, object] = field(default_factory=dict)

    def user(self, role: str) -> AbstractBaseUser | None:
        return self.users[role]


def _ready_pdf(document: PdfDocument, name: str) -> PdfDocument:
    """Give a document a file and mark it ready: the matrix is about who may fetch it."""
    document.file.save(name, ContentFile(PDF_BYTES), save=False)
    document.state = PdfDocument.State.READY
    document.rendered_at = timezone.now()
    document.save()
    return document


def _answers(worksheet: WorksheetPage) -> dict[str, str]:
    ids = {q.block_type: q.id for q in worksheet.questions}
    return {ids["reflection"]: "Jag flyttade till Växjö 1998.", ids["scale"]: "4"}


def build_world() -> World:
    home = make_site()
    users: dict[str, AbstractBaseUser | None] = {"anonymous": None}
    trainers = Group.objects.get_or_create(name=TRAINER_GROUP)[0]
    editors = Group.objects.get(name=EDITORS_GROUP)
    municipality = Municipality.objects.create(name="Växjö", county="kronoberg")
    for role, username, first in [
        ("learner_a", "larande-a", "Amina"),
        ("learner_b", "larande-b", "Bo"),
        ("trainer_x", "utbildare-x", "Xenia"),
        ("trainer_y", "utbildare-y", "Yusuf"),
        ("editor", "redaktor", "Eli"),
    ]:
        users[role] = factories.UserFactory(username=username, first_name=first)
        Profile.objects.create(user=users[role], municipality=municipality, job_title="Handläggare")
    users["trainer_x"].groups.add(trainers)
    users["trainer_y"].groups.add(trainers)
    users["editor"].groups.add(editors)
    users["admin"] = factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    # A coordinator of another municipality than the learners': every report URL below names
    # Växjö, which is not theirs.
    users["coordinator"] = factories.UserFactory(username="samordnare", first_name="Sam")
    users["coordinator"].groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    coordinator = Coordinator.objects.create(user=users["coordinator"])
    coordinator.municipalities.set([Municipality.objects.create(name="Kalmar", county="kalmar")])
    learner_a, learner_b = users["learner_a"], users["learner_b"]
    # An identity provider (switched off, so its sign-in answers the same for everybody) and
    # learner A's identity there, for the admin's snippet views.
    identity_provider = IdentityProvider.objects.create(
        name="Länets inloggning",
        slug="lanet",
        protocol="saml",
        enabled=False,
        entity_id="https://idp.example.org/",
        metadata_url="https://idp.example.org/metadata",
    )
    federated_identity = FederatedIdentity.objects.create(
        user=learner_a, provider=identity_provider, subject="amina@vaxjo.example.org"
    )

    # Content: a module with every kind of step, and pages of every other type.
    module = build_module(
        home,
        [Kind.LECTURE, Kind.ARTICLE, Kind.WORKSHEET, Kind.WORKSHOP],
        title="Vi blir fler",
        slug="vi-blir-fler",
    )
    steps = {s.kind: s for s in module.steps.select_related("page")}
    lecture = steps[Kind.LECTURE].page.specific
    lecture.slug = "att-bli-fler"
    lecture.save()
    factories.LectureChapterFactory(lecture=lecture, start="00:00", title="Inledning")
    factories.LectureChapterFactory(lecture=lecture, start="00:30", title="Mottagandet")
    worksheet = steps[Kind.WORKSHEET].page.specific
    worksheet.slug = "min-historia"
    worksheet.save()
    article = steps[Kind.ARTICLE].page.specific
    draft_worksheet = factories.WorksheetPageFactory(parent=module, slug="mitt-utkast")
    public_page = factories.StandardPageFactory(parent=home, slug="om")
    # Revisions for the admin's revision views, and a page waiting in moderation.
    for title in ("Om oss", "Om webbplatsen"):
        public_page.title = title
        public_page.save_revision(user=users["editor"]).publish()
    draft_page = factories.StandardPageFactory(parent=home, slug="utkast", live=False)
    draft_page.save_revision(user=users["editor"])
    workflow = Workflow.objects.filter(active=True).first()
    revision = public_page.save_revision(user=users["editor"])
    workflow_state = workflow.start(public_page, users["editor"])
    private_page = factories.StandardPageFactory(parent=home, slug="inloggade")
    PageViewRestriction.objects.create(
        page=private_page, restriction_type=PageViewRestriction.LOGIN
    )
    password_page = factories.StandardPageFactory(parent=home, slug="med-losenord")
    page_restriction = PageViewRestriction.objects.create(
        page=password_page, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )
    project_index = factories.ProjectIndexPageFactory(parent=home)
    project = factories.ProjectPageFactory(parent=project_index, slug="projekt-ett")

    # Library items.
    collection = Collection.get_first_root_node().add_child(name="Kursmaterial")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="hemligt",
    )
    Document = get_document_model()
    document = Document(title="Lathund", collection=Collection.get_first_root_node())
    document.file.save("lathund.pdf", ContentFile(PDF_BYTES), save=False)
    document.save()
    restricted_document = Document(title="Internt underlag", collection=collection)
    restricted_document.file.save("internt.pdf", ContentFile(PDF_BYTES), save=False)
    restricted_document.save()
    image = factories.SiteImageFactory()
    media = lecture.video or factories.MediaFactory()
    partner = factories.PartnerFactory()
    contact = factories.ContactPersonFactory()
    redirect = Redirect.objects.create(old_path="/gammal", redirect_link="/om/")
    tag = Tag.objects.create(name="integration", slug="integration")
    uploaded = UploadedFile.objects.create(
        for_content_type=ContentType.objects.get_for_model(Document),
        file=ContentFile(PDF_BYTES, name="uppladdad.pdf"),
        uploaded_by_user=users["editor"],
    )
    editing_session = EditingSession.objects.create(
        user=users["editor"],
        content_type=ContentType.objects.get_for_model(public_page.specific_class),
        object_id=str(public_page.pk),
        last_seen_at=timezone.now(),
    )

    # Workshop sessions: X led by trainer X (A shares, B does not), Y led by trainer Y.
    start = timezone.now() + timedelta(days=7)
    session_fields = {
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "place": "Stadshuset",
        "capacity": 10,
    }
    session_x = WorkshopSession.objects.create(
        trainer=users["trainer_x"], module=module, title="Workshop X", **session_fields
    )
    session_y = WorkshopSession.objects.create(
        trainer=users["trainer_y"], module=module, title="Workshop Y", **session_fields
    )
    participant_a = SessionParticipant.objects.create(
        session=session_x, user=learner_a, shares_answers=True, shares_changed_at=timezone.now()
    )
    participant_b = SessionParticipant.objects.create(session=session_x, user=learner_b)
    SessionParticipant.objects.create(session=session_y, user=learner_b, shares_answers=True)

    # Learner A's own things: a submitted worksheet with its PDF, a draft, progress, a
    # certificate. Learner B has a draft of the same worksheet, so the two responses differ.
    response_a, submission, cleaned = submit(learner_a, worksheet, _answers(worksheet))
    assert submission is not None, cleaned.errors
    pdf_a = _ready_pdf(PdfDocument.objects.get(kind="worksheet", owner=learner_a), "svar-a.pdf")
    draft_response_a, _cleaned = save_draft(learner_a, draft_worksheet, _answers(draft_worksheet))
    save_draft(learner_b, worksheet, {})
    record_step_completed(learner_a, steps[Kind.LECTURE])
    progress_a = StepProgress.objects.get(user=learner_a, step=steps[Kind.LECTURE])
    completion_a = ModuleCompletion.objects.create(
        user=learner_a,
        module=module,
        learner_name="Amina Exempelsson",
        module_title=module.title,
        estimated_minutes=60,
    )
    certificate_a = _ready_pdf(
        PdfDocument.objects.create(kind="certificate", owner=learner_a, source_id=completion_a.pk),
        "intyg-a.pdf",
    )
    completion_a.certificate = certificate_a
    completion_a.save(update_fields=["certificate"])
    # A's data export (a ZIP through the same pipeline) and a request to close B's account.
    export_a = _ready_pdf(
        PdfDocument.objects.create(kind="data-export", owner=learner_a, source_id=learner_a.pk),
        "mina-uppgifter-a.zip",
    )
    erasure_request_b = ErasureRequest.objects.create(user=learner_b)

    world = World(
        users=users,
        home=home,
        module=module,
        lecture=lecture,
        worksheet=worksheet,
        draft_worksheet=draft_worksheet,
        article=article,
        public_page=public_page,
        draft_page=draft_page,
        private_page=private_page,
        password_page=password_page,
        project_index=project_index,
        project=project,
        steps=steps,
        session_x=session_x,
        session_y=session_y,
        participant_a=participant_a,
        participant_b=participant_b,
        response_a=response_a,
        draft_response_a=draft_response_a,
        pdf_a=pdf_a,
        certificate_a=certificate_a,
        completion_a=completion_a,
        progress_a=progress_a,
    )
    world.ids = {
        "collection": collection.pk,
        "collection_restriction": collection_restriction.pk,
        "page_restriction": page_restriction.pk,
        "document": document.pk,
        "document_filename": document.filename,
        "restricted_document": restricted_document.pk,
        "restricted_document_filename": restricted_document.filename,
        "image": image.pk,
        "export_a": export_a.pk,
        "erasure_request_b": erasure_request_b.pk,
        "media": media.pk,
        "media_url": media.file.url,
        "image_url": image.file.url,
        "partner": partner.pk,
        "contact": contact.pk,
        "municipality": municipality.pk,
        "redirect": redirect.pk,
        "tag": tag.pk,
        "uploaded_file": uploaded.pk,
        "editing_session": editing_session.pk,
        "workflow": workflow.pk,
        "task": Task.objects.filter(active=True).first().pk,
        "workflow_state": workflow_state.pk,
        "task_state": workflow_state.current_task_state.pk,
        "revision": revision.pk,
        "site": Site.objects.get(is_default_site=True).pk,
        "group": Group.objects.get(name=EDITORS_GROUP).pk,
        "coordinator": coordinator.pk,
        "identity_provider": identity_provider.pk,
        "federated_identity": federated_identity.pk,
        "retention_settings": RetentionSettings.load().pk,
    }
    return world
