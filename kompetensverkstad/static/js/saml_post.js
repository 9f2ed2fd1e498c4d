// HTTP-POST binding: send the SAML message on to the identity provider at once. Without
// scripts the page's own button does the same.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("saml-post");
  if (form) {
    form.submit();
  }
});
