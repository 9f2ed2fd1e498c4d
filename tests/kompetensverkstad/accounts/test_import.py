"""Bulk creation of staff accounts from a CSV file in the Wagtail admin."""

import re
import smtplib

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage

from kompetensverkstad.accounts import importing as user_import

IMPORT = "/admin/importera-anvandare/"
User = get_user_model()
# The sidebar is rendered from JSON, where non-ASCII labels are escaped; the URL is not.
MENU_ITEM = '"url": "/admin/importera-anvandare/"'


def upload(client, content: str | bytes, name: str = "personal.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(IMPORT, {"csv_file": SimpleUploadedFile(name, data, "text/csv")})


def test_import_creates_users_and_sends_invitations(client, superuser, vaxjo, alvesta):
    client.force_login(superuser)
    # Excel's "CSV UTF-8" as Swedish Excel writes it: a byte-order mark and semicolons.
    csv = (
        "\ufeffnamn;e-post;kommun\r\n"
        "Anna Maria Lind;Anna.Lind@Example.org;Växjö\r\n"
        "Bo Berg;bo.berg@example.org;alvesta kommun\r\n"
    )

    response = upload(client, csv)

    assert response.status_code == 200
    assert "2 konton skapades." in response.text
    anna = User.objects.get(username="anna.lind@example.org")
    assert anna.email == "anna.lind@example.org"
    assert (anna.first_name, anna.last_name) == ("Anna Maria", "Lind")
    assert anna.profile.municipality == vaxjo
    assert not anna.has_usable_password()
    assert User.objects.get(username="bo.berg@example.org").profile.municipality == alvesta

    assert sorted(m.to[0] for m in mail.outbox) == ["anna.lind@example.org", "bo.berg@example.org"]
    invitation = next(m for m in mail.outbox if m.to == ["anna.lind@example.org"])
    assert invitation.subject == "Du är inbjuden till Kompetensverkstaden"
    assert "Hej Anna Maria Lind!" in invitation.body
    assert "inbjudan skickad" in response.text


def test_invitation_link_lets_the_person_choose_a_password(client, superuser, vaxjo):
    client.force_login(superuser)
    upload(client, "namn,e-post,kommun\nAnna Lind,anna.lind@example.org,Växjö\n")
    client.logout()
    link = re.search(r"https?://[^/\s]+(/konto/aterstall-losenord/\S+/\S+/)", mail.outbox[0].body)

    set_password = client.get(link.group(1))["Location"]
    response = client.post(
        set_password, {"new_password1": "min-egen-fras-77", "new_password2": "min-egen-fras-77"}
    )

    assert response.status_code == 302
    assert User.objects.get(username="anna.lind@example.org").check_password("min-egen-fras-77")
    assert "_auth_user_id" in client.session


def test_import_accepts_english_headers_and_commas(client, superuser, vaxjo):
    client.force_login(superuser)

    upload(client, 'email,name,municipality\ncarl@example.org,"Carl Carlsson",VÄXJÖ\n')

    carl = User.objects.get(username="carl@example.org")
    assert (carl.first_name, carl.last_name) == ("Carl", "Carlsson")
    assert carl.profile.municipality == vaxjo


def test_import_reports_existing_addresses_and_bad_rows(client, superuser, vaxjo, anna):
    client.force_login(superuser)
    csv = (
        "namn;e-post;kommun\n"
        "Anna Andersson;ANNA.andersson@example.org;Växjö\n"  # row 2: has an account already
        "Dora Dahl;dora@example.org;Växjö\n"  # row 3: new
        "Dora Dahl;Dora@example.org;Växjö\n"  # row 4: twice in the file
        "Erik Ek;erik@example.org;Atlantis\n"  # row 5: unknown municipality
        "Fia Fors;inte-en-adress;Växjö\n"  # row 6: bad address
        ";gustav@example.org;Växjö\n"  # row 7: no name
        "\n"
        "Hanna Holm;hanna@example.org;\n"  # row 9: no municipality
    )

    response = upload(client, csv)

    html = response.text
    assert "1 konto skapades." in html
    assert "2 fanns redan." in html
    assert "4 rader hade fel och hoppades över." in html
    assert "Kommunen ”Atlantis” finns inte i listan." in html
    assert "”inte-en-adress” är inte en giltig e-postadress." in html
    assert "Namn saknas." in html
    assert "Kommun saknas." in html
    assert html.count("Det finns redan ett konto med den här e-postadressen.") == 2
    rows = re.findall(r'<tr class="import-row import-row--(\w+)">\s*<td>(\d+)</td>', html)
    assert rows == [
        ("exists", "2"),
        ("created", "3"),
        ("exists", "4"),
        ("error", "5"),
        ("error", "6"),
        ("error", "7"),
        ("error", "9"),
    ]
    assert set(User.objects.values_list("username", flat=True)) == {
        "admin",
        "anna.andersson@example.org",
        "dora@example.org",
    }
    assert [m.to for m in mail.outbox] == [["dora@example.org"]]


def test_an_invitation_that_cannot_be_sent_is_reported(client, superuser, vaxjo, monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("borta")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    client.force_login(superuser)

    response = upload(client, "namn,e-post,kommun\nAnna Lind,anna@example.org,Växjö\n")

    # The account stands; the person can still choose a password via "Glömt lösenordet?".
    assert User.objects.filter(username="anna@example.org").exists()
    assert "1 inbjudan kunde inte skickas." in response.text
    assert "inbjudan kunde inte skickas. Personen kan välja lösenord" in response.text


def test_import_escapes_what_the_file_contains(client, superuser, vaxjo):
    client.force_login(superuser)

    response = upload(client, "namn,e-post,kommun\n<script>x</script>,bad,<b>X</b>\n")

    assert "<script>x</script>" not in response.text
    assert "&lt;script&gt;" in response.text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("namn;e-post\nAnna;anna@example.org\n", "Filen saknar kolumnerna: kommun."),
        ("namn,e-post,kommun\n", "Filen innehåller inga personer, bara rubrikraden."),
        # Django's own check on the upload, before ours.
        ("", "Den skickade filen är tom."),
        ("\n\n", "Filen är tom."),
        (
            "namn;e-post;kommun\nÅsa;asa@example.org;Växjö\n".encode("cp1252"),
            "inte sparad som UTF-8",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "inte sparad som UTF-8"),
    ],
)
def test_import_explains_a_bad_file(client, superuser, vaxjo, content, message):
    client.force_login(superuser)

    response = upload(client, content)

    assert response.status_code == 200
    assert message in response.text
    assert not User.objects.exclude(pk=superuser.pk).exists()


def test_import_refuses_an_oversize_file(client, superuser, vaxjo):
    client.force_login(superuser)
    row = "Anna Lind;anna@example.org;Växjö\n"
    content = "namn;e-post;kommun\n" + row * (user_import.MAX_FILE_BYTES // len(row) + 1)

    response = upload(client, content)

    assert "Filen är för stor. Den får vara högst 1 MB." in response.text
    assert not User.objects.exclude(pk=superuser.pk).exists()


def test_import_refuses_too_many_rows(client, superuser, vaxjo, monkeypatch):
    monkeypatch.setattr(user_import, "MAX_ROWS", 3)
    client.force_login(superuser)
    rows = "".join(f"Person {n};p{n}@example.org;Växjö\n" for n in range(4))

    response = upload(client, "namn;e-post;kommun\n" + rows)

    assert "Filen har för många rader. Högst 3 personer" in response.text
    assert not User.objects.exclude(pk=superuser.pk).exists()
    assert mail.outbox == []


def test_anonymous_visitor_is_sent_to_the_admin_login(client, db):
    response = client.get(IMPORT)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_editor_without_permission_to_add_users_is_refused(client, editor, vaxjo):
    client.force_login(editor)

    # Wagtail turns the PermissionDenied of an admin view into a redirect to the dashboard.
    response = client.get(IMPORT)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    response = upload(client, "namn,e-post,kommun\nAnna Lind,anna@example.org,Växjö\n")
    assert response.status_code == 302
    assert not User.objects.filter(username="anna@example.org").exists()
    assert MENU_ITEM not in client.get("/admin/").text


def test_staff_allowed_to_add_users_may_import(client, user_manager, vaxjo):
    client.force_login(user_manager)

    assert MENU_ITEM in client.get("/admin/").text
    upload(client, "namn,e-post,kommun\nAnna Lind,anna@example.org,Växjö\n")

    assert User.objects.filter(username="anna@example.org").exists()


def test_superuser_sees_the_menu_item_and_the_form(client, superuser):
    client.force_login(superuser)

    assert MENU_ITEM in client.get("/admin/").text
    page = client.get(IMPORT)
    assert page.status_code == 200
    assert "Importera användare" in page.text
    assert "namn;e-post;kommun" in page.text
    assert 'type="file"' in page.text


def test_municipalities_are_maintained_as_snippets(client, superuser, vaxjo):
    client.force_login(superuser)

    response = client.get("/admin/snippets/kompetensverkstad/municipality/")

    assert response.status_code == 200
    assert "Växjö" in response.text
    assert "Kronobergs län" in response.text
