"""Front-end writing: members and experts write on the site, never in the admin."""
